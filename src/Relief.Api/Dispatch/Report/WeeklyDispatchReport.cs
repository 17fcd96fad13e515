using System.Text.Json.Serialization;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Dispatch.Engine;
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
/// One of the report's lists: how many items it shows at the week's end (for the caller's township when
/// bound to one) and where to read them a page at a time. A report recomputed for an auditor
/// (<c>/api/audit/weekly-dispatch/{week}?asKnownAt=</c>) has no stored pages: it carries its items instead.
/// </summary>
public sealed record ReportList<T>(int Count, string? Href, IReadOnlyList<T>? Items = null);

/// <summary>
/// The weekly dispatch report (周工作调度) of one ISO week, as the meeting reads it: every figure for the
/// county and each township, and the overdue cases and the households without an agreement, counted,
/// with a link to their pages (<c>…/{week}/overdue-cases</c>, <c>…/{week}/households-without-agreement</c>).
/// <c>lastChangedBy</c> is the sequence of the latest event that changed the week (its figures or lists);
/// <c>auditAnchor</c> the hash chain's latest daily anchor when it was read.
/// </summary>
public sealed record WeeklyDispatchReport(
    string Week,
    DateOnly From,
    DateOnly To,
    long LastChangedBy,
    IReadOnlyDictionary<string, FigureValue> County,
    IReadOnlyList<TownshipFigures> Townships,
    ReportList<OverdueCaseLine> OverdueCases,
    ReportList<UncoveredHouseholdLine> HouseholdsWithoutAgreement)
{
    public const string Route = "/api/reports/weekly-dispatch";

    /// <summary>
    /// The hash chain's latest daily anchor when the report was read (issue 7): printed with the
    /// report, it pins every event the figures rest on; altering one afterwards breaks the chain
    /// at or before it. Null until the chain has an anchor.
    /// </summary>
    public Relief.Api.Audit.Chain.AuditAnchor? AuditAnchor { get; init; }

    /// <summary>
    /// The report from its stored document: every figure present (zero when nothing was counted),
    /// townships in the county's order, only the caller's own township for a township-bound caller;
    /// the lists counted, with links to their pages. Reads nothing but the week's document, whose size
    /// does not grow with the history.
    /// </summary>
    public static WeeklyDispatchReport Of(WeeklyDispatch doc, TownshipDirectory townships, string? onlyTownship)
    {
        static Dictionary<string, FigureValue> Figures(IReadOnlyDictionary<string, Figure>? stored) => FiguresOf(stored);

        var codes = townships.All.Select(t => t.Code)
            .Concat(doc.Townships.Keys.Where(k => townships.All.All(t => t.Code != k)).Order(StringComparer.Ordinal))
            .Where(code => onlyTownship is null || code == onlyTownship);
        var townshipFigures = codes.Select(code => new TownshipFigures
        {
            Township = code,
            Name = townships.NameOf(code),
            Figures = Figures(doc.Townships.GetValueOrDefault(code)).ToDictionary(f => f.Key, f => (object?)f.Value),
        }).ToList();

        var listed = onlyTownship is null ? doc.County : doc.Townships.GetValueOrDefault(onlyTownship);
        int Count(DispatchList list) => listed?.GetValueOrDefault(DispatchLists.MetricOf(list))?.Value ?? 0;
        return new WeeklyDispatchReport(doc.Id, doc.From, doc.To, doc.LastSequence, Figures(doc.County), townshipFigures,
            new ReportList<OverdueCaseLine>(Count(DispatchList.OverdueCase), $"{Route}/{doc.Id}/overdue-cases"),
            new ReportList<UncoveredHouseholdLine>(Count(DispatchList.HouseholdWithoutAgreement), $"{Route}/{doc.Id}/households-without-agreement"));
    }

    /// <summary>
    /// Every figure of the report (<see cref="DispatchMetrics.All"/>) from stored figures: zero when nothing was
    /// counted, the happiness index computed from the two counts it is kept as. The county's, a township's,
    /// or a region's (the counties' stored figures added up).
    /// </summary>
    public static Dictionary<string, FigureValue> FiguresOf(IReadOnlyDictionary<string, Figure>? stored)
    {
        FigureValue Stored(string m) =>
            stored is not null && stored.TryGetValue(m, out var f) ? new FigureValue(f.Value, f.Change) : new FigureValue(0, 0);
        FigureValue Index()
        {
            var (points, households) = (Stored(DispatchMetrics.HappinessPoints), Stored(DispatchMetrics.HappinessHouseholds));
            var (value, change) = DispatchMetrics.IndexOf(points.Value, points.Change, households.Value, households.Change);
            return new FigureValue(value, change);
        }

        return DispatchMetrics.All.ToDictionary(m => m, m => m == DispatchMetrics.HappinessIndex ? Index() : Stored(m));
    }

    /// <summary>A report recomputed in memory, with its lists' items (no stored pages to link to).</summary>
    public static WeeklyDispatchReport WithItems(WeeklyDispatch doc, TownshipDirectory townships, OwnershipTable ownership,
        string? onlyTownship, IReadOnlyList<DispatchItem> overdue, IReadOnlyList<DispatchItem> uncovered)
    {
        var report = Of(doc, townships, onlyTownship);
        var overdueLines = overdue.Where(i => onlyTownship is null || i.Township == onlyTownship).Select(i => OverdueLine(i, doc.To, ownership)).ToList();
        var uncoveredLines = uncovered.Where(i => onlyTownship is null || i.Township == onlyTownship).Select(UncoveredLine).ToList();
        return report with
        {
            OverdueCases = new ReportList<OverdueCaseLine>(overdueLines.Count, null, overdueLines),
            HouseholdsWithoutAgreement = new ReportList<UncoveredHouseholdLine>(uncoveredLines.Count, null, uncoveredLines),
        };
    }

    /// <summary>An overdue case as a week shows it: days overdue at the week's end, and who must act.</summary>
    public static OverdueCaseLine OverdueLine(DispatchItem item, DateOnly weekEnd, OwnershipTable ownership) =>
        new(item.SubjectId, item.Policy!, item.Stage!, item.Township, item.Label, item.DueOn!.Value, weekEnd.DayNumber - item.DueOn!.Value.DayNumber,
            Enum.TryParse<ExtendedPolicy>(item.Policy, out var policy) ? PolicyCaseRules.OwnersOf(policy, ownership) : []);

    public static UncoveredHouseholdLine UncoveredLine(DispatchItem item) => new(item.SubjectId, item.Township, item.Label, item.From);
}
