using System.Reflection;
using System.Text.Json;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Households;
using Relief.Api.Ledger;
using Relief.Core.Protection;

namespace Relief.Api.Tests.Ledger;

/// <summary>
/// The ledger's summary lines name the facts they show by JSON path; a renamed event member would
/// silently drop the fact from every line. This holds each path to a member the event stores.
/// </summary>
public class LedgerSummaryTests
{
    /// <summary>The records sealed as one whose members a path may name after a colon.</summary>
    private static readonly Type[] SealedRecords = [typeof(MemberPersonalData), typeof(FamilyMemberPersonalData)];

    private static readonly Type[] EventTypes =
        [.. typeof(LedgerSummaries).Assembly.GetTypes(), .. typeof(JasperFx.Events.Archived).Assembly.GetTypes()];

    [Fact]
    public void Every_fact_of_a_summary_line_is_a_member_its_event_stores()
    {
        var dead = new List<string>();
        foreach (var (kind, paths) in LedgerSummaries.FactPaths)
        {
            var type = EventTypes.SingleOrDefault(t => t.Name == kind && !t.IsAbstract);
            if (type is null)
            {
                dead.Add($"{kind}: no event type of that name");
                continue;
            }

            dead.AddRange(paths.Where(path => !Resolves(type, path)).Select(path => $"{kind}.{path}"));
        }

        Assert.Empty(dead);
    }

    private static bool Resolves(Type type, string path)
    {
        var parts = path.Split(':');
        var current = type;
        foreach (var segment in parts[0].Split('.'))
        {
            var property = current.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .SingleOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == segment);
            if (property is null) return false;
            current = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        if (parts.Length == 1) return true;
        return current == typeof(ProtectedValue)
            && SealedRecords.Any(r => r.GetProperties().Any(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == parts[1]));
    }
}
