using System.Text.Json;
using System.Text.Json.Nodes;
using Relief.Core.Identity;
using F = Relief.Api.Demo.DemoFigures;

namespace Relief.Api.Demo;

/// <summary>The demo county's material: request bodies, names, resident IDs, days and townships drawn from the seed.</summary>
public sealed partial class DemoCounty
{
    private object HouseholdBody(string township, List<object> members) => new
    {
        township, village = Pick(Villages), headName = Name(members[0]), address = $"{Pick(Villages)}{_random.Next(1, 9)}组{_random.Next(1, 60)}号",
        povertyCause = Pick(["Illness", "Disability", "LackOfLabour", "LackOfSkills", "Other"]), members,
    };

    private static string Name(object member) => (string)member.GetType().GetProperty("name")!.GetValue(member)!;

    private object Member(string relation, bool severe)
    {
        var birth = relation == "Child"
            ? new DateOnly(1975 + _random.Next(25), 1 + _random.Next(12), 1 + _random.Next(28))
            : new DateOnly(1935 + _random.Next(30), 1 + _random.Next(12), 1 + _random.Next(28));
        string[] types = ["Physical", "Psychiatric", "Intellectual"];
        var mildlyDisabled = !severe && _random.Next(4) == 0;
        return new
        {
            name = Pick(Surnames) + Pick(Given),
            residentId = NewResidentId(birth),
            relation,
            birthDate = Day(birth),
            gender = _random.Next(2) == 0 ? "Male" : "Female",
            disabilityType = severe ? types[_random.Next(3)] : mildlyDisabled ? "Physical" : null,
            disabilityGrade = severe ? 1 + _random.Next(2) : mildlyDisabled ? 3 + _random.Next(2) : (int?)null,
            dependencyLevel = severe ? "Full" : (_random.Next(3) == 0 ? "Partial" : "None"),
        };
    }

    /// <summary>A caregiver family's member as the registration sends it (camelCase on the wire).</summary>
    private sealed record FamilyPerson(string Name, string Relation, string BirthDate, string Gender, string ResidentId);

    private FamilyPerson FamilyMember(string name, string relation)
    {
        var birth = relation == "Child"
            ? new DateOnly(1985 + _random.Next(20), 1 + _random.Next(12), 1 + _random.Next(28))
            : new DateOnly(1955 + _random.Next(25), 1 + _random.Next(12), 1 + _random.Next(28));
        return new FamilyPerson(name, relation, Day(birth), _random.Next(2) == 0 ? "Male" : "Female", NewResidentId(birth));
    }

    private string NewResidentId(DateOnly birth)
    {
        while (true)
        {
            var id = ResidentId.Create("410823", birth, _random.Next(1, 999));
            if (_residentIds.Add(id)) return id;
        }
    }

    private static object Terms(DateOnly startsOn) => new
    {
        startsOn = Day(startsOn),
        endsOn = Day(startsOn.AddYears(3).AddDays(-1)),
        duties = new[] { "日常照料", "定期探望", "陪同就医" },
        monthlySubsidy = 300m,
        assetClauses = Array.Empty<object>(),
    };

    private static JsonObject WithVersion(object body, int version)
    {
        var node = JsonSerializer.SerializeToNode(body, Json)!.AsObject();
        node["version"] = version;
        return node;
    }

    private static string TradeName(string trade) => trade switch
    {
        "Electrician" => "电工", "Welder" => "电焊工", "BeautyAndHairdressing" => "美容美发", "Cooking" => "烹饪",
        "Housekeeping" => "家政服务", _ => "种植养殖",
    };

    /// <summary>Townships weighted so that the bigger ones hold more households.</summary>
    private int Weighted(int i) => (int)((i * 7919L + i / 15) % Townships.Length) switch
    {
        var t when t < 3 && _random.Next(4) == 0 => (t + 3) % Townships.Length,
        var t => t,
    };

    /// <summary><paramref name="count"/> sizes between min and max adding up to <paramref name="total"/>.</summary>
    private List<int> Sizes(int count, int total, int min, int max)
    {
        var sizes = Enumerable.Range(0, count).Select(_ => min + _random.Next(max - min + 1)).ToList();
        while (sizes.Sum() != total)
        {
            var i = _random.Next(count);
            if (sizes.Sum() < total && sizes[i] < max) sizes[i]++;
            else if (sizes.Sum() > total && sizes[i] > min) sizes[i]--;
        }

        return sizes;
    }

    private static List<DateOnly> WorkingDays(DateOnly from, DateOnly to)
    {
        var days = new List<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(1))
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday) days.Add(d);
        return days;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    /// <summary>No later than the demo's last day: nothing is recorded as happening after it.</summary>
    private static DateOnly Clamp(DateOnly day) => day > F.LastDay ? F.LastDay : day;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string TownshipKey(string township) => $"dev-township-{township}";
}
