using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Relief.Api.CareAgreements;

namespace Relief.Api.Tests.Households;

public sealed class HouseholdListTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<JsonElement> List(string query, string key = Keys.PovertyOffice) =>
        await Api.Send(HttpMethod.Get, "/api/households" + query, null, key);

    private static List<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    [Fact]
    public async Task Coverage_is_derived_on_the_date_asked()
    {
        var covered = await Api.RegisteredHousehold();
        await Api.SignedAgreement(covered, Requests.Agreement(startsOn: "2020-04-01", endsOn: "2020-12-31"));
        var uncovered = await Api.RegisteredHousehold();

        Assert.Equal([covered], Ids(await List("?covered=true")));
        Assert.Equal([uncovered], Ids(await List("?covered=false")));
        Assert.Empty(Ids(await List("?covered=true&on=2021-01-01")));
        Assert.Empty(Ids(await List("?covered=true&on=2020-03-31")));
        var row = (await List("?covered=true")).GetProperty("items")[0];
        Assert.True(row.GetProperty("covered").GetBoolean());
        Assert.Equal("NeighbourCare", row.GetProperty("modes")[0].GetString());
    }

    [Fact]
    public async Task Ending_an_agreement_ends_the_coverage_from_the_next_day()
    {
        var (household, agreement) = await Api.HouseholdWithNeighbourAgreement();
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/end",
            JsonNode.Parse("""{ "version": 1, "endedOn": "2020-09-15", "reason": "x" }"""));

        Assert.Equal([household], Ids(await List("?covered=true&on=2020-09-15")));
        Assert.Empty(Ids(await List("?covered=true&on=2020-09-16")));
    }

    [Fact]
    public async Task Lists_filter_by_township_and_care_mode()
    {
        var (mucheng, _) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        var sanyang = await Api.RegisteredHousehold(Requests.Household("sanyang"));
        await Api.SignedAgreement(sanyang, Requests.Agreement(CareMode.KinshipCare));

        Assert.Equal([sanyang], Ids(await List("?township=sanyang")));
        Assert.Equal([mucheng], Ids(await List("?mode=NeighbourCare")));
        Assert.Equal([sanyang], Ids(await List("?mode=KinshipCare&township=三阳乡")));
        Assert.Equal([mucheng], Ids(await List("", Keys.Mucheng)));
    }

    [Fact]
    public async Task A_row_shows_the_households_facts_as_changed_and_its_current_member_count()
    {
        var id = await Api.RegisteredHousehold();
        var before = (await List("")).GetProperty("items")[0].GetProperty("members").GetInt32();
        var version = (await Api.Household(id)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Post, $"/api/households/{id}/members",
            new JsonObject { ["version"] = version, ["member"] = Requests.Member("李四", Relation.Spouse, sequence: 2) });
        await Api.Send(HttpMethod.Put, $"/api/households/{id}",
            JsonNode.Parse($$"""{ "version": {{version + 1}}, "village": "西关村", "headName": "张三丰", "address": "西关村二组 3 号", "povertyCause": "Illness" }"""));

        var row = (await List("")).GetProperty("items")[0];
        Assert.Equal(before + 1, row.GetProperty("members").GetInt32());
        Assert.Equal("西关村", row.GetProperty("village").GetString());
        Assert.Equal("张三丰", row.GetProperty("headName").GetString());
    }

    [Fact]
    public async Task Pages_follow_the_cursor_to_the_end()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            ids.Add(await Api.RegisteredHousehold());
        }

        var first = await List("?limit=2");
        var second = await List($"?limit=2&cursor={first.GetProperty("nextCursor").GetString()}");
        var third = await List($"?limit=2&cursor={second.GetProperty("nextCursor").GetString()}");

        Assert.Equal(ids, Ids(first).Concat(Ids(second)).Concat(Ids(third)));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Bad_filters_are_400_never_silently_ignored()
    {
        var response = await Send(HttpMethod.Get,
            "/api/households?township=nowhere&limit=ten&cursor=abc&mode=Kinship&covered=yes&on=2020-13-01&includeClosed=1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        foreach (var field in new[] { "township", "limit", "cursor", "mode", "covered", "on", "includeClosed" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        Assert.Contains("KinshipCare", errors.GetProperty("mode")[0].GetString());
    }
}
