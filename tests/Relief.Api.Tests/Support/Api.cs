using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;

namespace Relief.Api.Tests.Support;

/// <summary>Request bodies of the domain, valid unless a test spoils them.</summary>
public static partial class Requests
{
    /// <summary>A valid resident ID of Wuzhi (area 410823) for the given birth date and sequence.</summary>
    public static string ResidentId(DateOnly birthDate, int sequence = 1) =>
        Core.Identity.ResidentId.Create("410823", birthDate, sequence);

    private static int _sequence = 100;

    /// <summary>
    /// A member; unless a <paramref name="sequence"/> is given, each call gets a resident ID of its
    /// own (one resident ID is active in one household only).
    /// </summary>
    public static JsonObject Member(string name = "张三", Relation relation = Relation.Head, DateOnly? birthDate = null,
        string? residentId = "auto", string? phone = "13800138000", int? sequence = null)
    {
        var birth = birthDate ?? new DateOnly(1950, 3, 15);
        var member = new JsonObject
        {
            ["name"] = name,
            ["relation"] = relation.ToString(),
            ["birthDate"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["gender"] = "Male",
            ["disabilityType"] = "Physical",
            ["disabilityGrade"] = 1,
            ["dependencyLevel"] = "Full",
        };
        if (residentId is not null)
        {
            member["residentId"] = residentId == "auto"
                ? ResidentId(birth, sequence ?? 100 + Interlocked.Increment(ref _sequence) % 800)
                : residentId;
        }
        if (phone is not null) member["phone"] = phone;
        return member;
    }

    public static JsonObject Household(string township = "mucheng", params JsonObject[] members) => new()
    {
        ["township"] = township,
        ["village"] = "东关村",
        ["headName"] = "张三",
        ["address"] = "东关村一组 8 号",
        ["povertyCause"] = "Illness",
        ["members"] = new JsonArray(members.Length == 0 ? [Member()] : members.Cast<JsonNode>().ToArray()),
    };

}

/// <summary>Scenario builders: the domain's steps, taken through the real API.</summary>
public sealed partial class Api(IAlbaHost host)
{
    /// <summary>The host, for builders in other parts of this class.</summary>
    public IAlbaHost Host => host;

    /// <summary>Sends a JSON body and answers the JSON response, asserting the status.</summary>
    public async Task<JsonElement> Send(HttpMethod method, string url, JsonNode? body, string key = Keys.PovertyOffice,
        int expectedStatus = 200)
    {
        var result = await host.Scenario(s =>
        {
            if (method == HttpMethod.Get) s.Get.Url(url);
            else if (method == HttpMethod.Put) s.Put.Text(body?.ToJsonString() ?? "{}").ToUrl(url);
            else s.Post.Text(body?.ToJsonString() ?? "{}").ToUrl(url);
            if (method != HttpMethod.Get) s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(expectedStatus);
        });
        var text = await result.ReadAsTextAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Registers a household and answers its id.</summary>
    public async Task<Guid> RegisteredHousehold(JsonObject? body = null, string key = Keys.PovertyOffice)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Text((body ?? Requests.Household()).ToJsonString()).ToUrl("/api/households");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Reads a household as the given caller.</summary>
    public async Task<JsonElement> Household(Guid id, string key = Keys.PovertyOffice)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url($"/api/households/{id}");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(200);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
