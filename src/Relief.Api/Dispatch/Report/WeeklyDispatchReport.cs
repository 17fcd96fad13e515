using System.Text.Json.Serialization;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Dispatch.Report;

/// <summary>A figure as the report shows it: its value at the end of the week and its net change during the week.</summary>
public sealed record FigureValue(int Value, int Change);

/// <summary>One township's figures (<c>households</c>, <c>householdsCovered</c>, …), each a <see cref="FigureValue"/>.</summary>
public sealed class TownshipFigures
{
    public required string Township { get; init; }
    public required string Name { get; init; }

    [JsonExtensionData]
    public Dictionary<string, object?> Figures { get; init; } = [];

    public FigureValue this[string metric] => (FigureValue)Figures[metric]!;
}

/// <summary>A policy case past its stage's due date at the week's end, and who must act.</summary>
public sealed record OverdueCaseLine(
    Guid CaseId,
    string Policy,
    string Stage,
    string Township,
    string Subject,
    DateOnly DueOn,
    int DaysOverdue,
    IReadOnlyList<Department> Owners);

/// <summary>A household without an agreement in force at the week's end, and since when.</summary>
public sealed record UncoveredHouseholdLine(Guid HouseholdId, string Township, string Subject, DateOnly Since);

/// <summary>
/// The weekly dispatch report (周工作调度) of one ISO week, as the meeting reads it: every figure for the
/// county and each township, the overdue cases and the households without an agreement.
/// <c>lastChangedBy</c> is the sequence of the latest event that changed the week (its figures or lists).
/// </summary>
public sealed record WeeklyDispatchReport(
    string Week,
    DateOnly From,
    DateOnly To,
    long LastChangedBy,
    IReadOnlyDictionary<string, FigureValue> County,
    IReadOnlyList<TownshipFigures> Townships,
    IReadOnlyList<OverdueCaseLine> OverdueCases,
    IReadOnlyList<UncoveredHouseholdLine> HouseholdsWithoutAgreement)
{
    /// <summary>
    /// The report from its stored document: every figure present (zero when nothing was counted),
    /// townships in the county's order, only the caller's own township for a township-bound caller.
    /// </summary>
    public static WeeklyDispatchReport Of(WeeklyDispatch doc, TownshipDirectory townships, OwnershipTable ownership, string? onlyTownship)
    {
        static Dictionary<string, FigureValue> Figures(IReadOnlyDictionary<string, Figure>? stored) =>
            DispatchMetrics.All.ToDictionary(m => m,
                m => stored is not null && stored.TryGetValue(m, out var f) ? new FigureValue(f.Value, f.Change) : new FigureValue(0, 0));

        var codes = townships.All.Select(t => t.Code)
            .Concat(doc.Townships.Keys.Where(k => townships.All.All(t => t.Code != k)).Order(StringComparer.Ordinal))
            .Where(code => onlyTownship is null || code == onlyTownship);
        var townshipFigures = codes.Select(code => new TownshipFigures
        {
            Township = code,
            Name = townships.NameOf(code),
            Figures = Figures(doc.Townships.GetValueOrDefault(code)).ToDictionary(f => f.Key, f => (object?)f.Value),
        }).ToList();

        var items = doc.Items.Where(i => onlyTownship is null || i.Township == onlyTownship).ToList();
        var overdue = items.Where(i => i.List == DispatchList.OverdueCase)
            .Select(i => new OverdueCaseLine(i.SubjectId, i.Policy!, i.Stage!, i.Township, i.Label, i.DueOn!.Value,
                doc.To.DayNumber - i.DueOn!.Value.DayNumber,
                Enum.TryParse<ExtendedPolicy>(i.Policy, out var policy) ? PolicyCaseRules.OwnersOf(policy, ownership) : []))
            .OrderByDescending(o => o.DaysOverdue).ThenBy(o => o.Township, StringComparer.Ordinal)
            .ToList();
        var uncovered = items.Where(i => i.List == DispatchList.HouseholdWithoutAgreement)
            .Select(i => new UncoveredHouseholdLine(i.SubjectId, i.Township, i.Label, i.From))
            .OrderBy(u => u.Since).ThenBy(u => u.Township, StringComparer.Ordinal)
            .ToList();

        return new WeeklyDispatchReport(doc.Id, doc.From, doc.To, doc.LastSequence, Figures(doc.County), townshipFigures, overdue, uncovered);
    }
}
