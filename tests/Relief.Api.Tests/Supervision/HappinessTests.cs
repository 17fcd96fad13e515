using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;

namespace Relief.Api.Tests.Supervision;

/// <summary>幸福指数: a dated survey per household; the index per household, township and county, and its trend.</summary>
public sealed class HappinessTests(AppFixture fixture) : ApiTest(fixture)
{
    private static JsonObject Survey(int quality, int spirit, int satisfaction, string surveyedOn = "2020-09-20", string? note = null) => new()
    {
        ["surveyedOn"] = surveyedOn,
        ["surveyor"] = "木城街道幸福指数调查组",
        ["qualityOfLife"] = quality,
        ["spirit"] = spirit,
        ["satisfaction"] = satisfaction,
        ["note"] = note,
    };

    private Task<JsonElement> Surveyed(Guid household, JsonObject body, string key = Keys.PovertyOffice) =>
        Api.Send(HttpMethod.Post, $"/api/households/{household}/happiness-surveys", body, key, 201);

    [Fact]
    public async Task A_survey_is_recorded_with_its_index_and_the_latest_is_the_households_index()
    {
        var household = await Api.RegisteredHousehold();

        var created = await Surveyed(household, Survey(3, 3, 3, "2020-08-20", note: "老人说儿女常来看望"));
        await Surveyed(household, Survey(5, 4, 5, "2020-09-20"));

        Assert.Equal(1, created.GetProperty("version").GetInt32());
        var happiness = await Api.Send(HttpMethod.Get, $"/api/households/{household}/happiness", null);
        Assert.Equal((92, "2020-09-20"), (happiness.GetProperty("index").GetInt32(), happiness.GetProperty("surveyedOn").GetString()));
        var surveys = happiness.GetProperty("surveys").EnumerateArray().ToList();
        Assert.Equal([92, 50], surveys.Select(s => s.GetProperty("index").GetInt32()));
        Assert.Equal("老人说儿女常来看望", surveys[1].GetProperty("note").GetString());
    }

    [Fact]
    public async Task The_county_and_township_index_is_the_mean_of_the_households_latest_and_the_trend_the_mean_of_each_months_surveys()
    {
        var a = await Api.RegisteredHousehold();
        var b = await Api.RegisteredHousehold(Requests.Household("mucheng", Requests.Member("李二", sequence: 2)));
        var c = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("王三", sequence: 3)));
        await Surveyed(a, Survey(1, 1, 1, "2020-08-10"));
        await Surveyed(a, Survey(5, 5, 5, "2020-09-10"));
        await Surveyed(b, Survey(3, 3, 3, "2020-09-12"));
        await Surveyed(c, Survey(4, 4, 4, "2020-09-14"));

        var county = await Api.Send(HttpMethod.Get, "/api/happiness", null, Keys.Reports);

        Assert.Equal((75.0m, 3), (county.GetProperty("overall").GetProperty("index").GetDecimal(), county.GetProperty("overall").GetProperty("households").GetInt32()));
        var townships = county.GetProperty("townships").EnumerateArray().ToDictionary(t => t.GetProperty("township").GetString()!);
        Assert.Equal(75.0m, townships["mucheng"].GetProperty("index").GetDecimal());
        Assert.Equal(75.0m, townships["sanyang"].GetProperty("index").GetDecimal());
        Assert.False(townships["beiguo"].TryGetProperty("index", out _));
        Assert.Equal([("2020-08", 0.0m, 1), ("2020-09", 75.0m, 3)], county.GetProperty("trend").EnumerateArray()
            .Select(p => (p.GetProperty("period").GetString(), p.GetProperty("index").GetDecimal(), p.GetProperty("surveys").GetInt32())));

        var weekly = await Api.Send(HttpMethod.Get, "/api/happiness?by=week&township=mucheng", null);
        Assert.Equal(["2020-W33", "2020-W37"], weekly.GetProperty("trend").EnumerateArray().Select(p => p.GetProperty("period").GetString()));
        var own = await Api.Send(HttpMethod.Get, "/api/happiness", null, Keys.Sanyang);
        Assert.Equal((75.0m, 1), (own.GetProperty("overall").GetProperty("index").GetDecimal(), own.GetProperty("overall").GetProperty("households").GetInt32()));
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "/api/happiness?township=mucheng", null, Keys.Sanyang)).StatusCode);
    }

    [Theory]
    [InlineData("qualityOfLife", 0)]
    [InlineData("spirit", 6)]
    [InlineData("satisfaction", null)]
    [InlineData("surveyedOn", "2020-10-02")]
    [InlineData("surveyor", null)]
    public async Task A_bad_answer_is_a_400_and_records_nothing(string field, object? value)
    {
        var household = await Api.RegisteredHousehold();
        var body = Survey(4, 4, 4);
        body[field] = value is null ? null : JsonValue.Create(value);

        var response = await Send(HttpMethod.Post, $"/api/households/{household}/happiness-surveys", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Empty((await Api.Send(HttpMethod.Get, $"/api/households/{household}/happiness", null)).GetProperty("surveys").EnumerateArray());
    }

    [Fact]
    public async Task A_household_that_left_the_safety_net_is_surveyed_no_more()
    {
        var household = await Api.RegisteredHousehold();
        await Api.Send(HttpMethod.Post, $"/api/households/{household}/closure",
            JsonNode.Parse("""{ "version": 2, "reason": "Deceased", "closedOn": "2020-09-15" }""")!);

        var after = await Send(HttpMethod.Post, $"/api/households/{household}/happiness-surveys", Survey(4, 4, 4, "2020-09-20").ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, after.StatusCode);
        Assert.Contains("household-closed", await after.Content.ReadAsStringAsync());
        Assert.Empty((await Api.Send(HttpMethod.Get, $"/api/households/{household}/happiness", null)).GetProperty("surveys").EnumerateArray());
    }

    [Fact]
    public async Task Another_townships_key_a_department_that_owns_no_surveys_and_an_unknown_household_are_refused()
    {
        var household = await Api.RegisteredHousehold();
        var body = Survey(4, 4, 4).ToJsonString();

        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, $"/api/households/{household}/happiness-surveys", body, Keys.Sanyang)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, $"/api/households/{household}/happiness-surveys", body, Keys.Hrss)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Post, $"/api/households/{Guid.CreateVersion7()}/happiness-surveys", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, $"/api/households/{household}/happiness-surveys", body, Keys.Mucheng)).StatusCode);
    }

    [Fact]
    public async Task The_weekly_report_shows_the_happiness_index_of_the_county_and_each_township()
    {
        var a = await Api.RegisteredHousehold();
        var b = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("王三", sequence: 3)));
        await Surveyed(a, Survey(3, 3, 3, "2020-09-08"));
        await Surveyed(b, Survey(5, 5, 4, "2020-09-22"));
        await Surveyed(a, Survey(4, 4, 4, "2020-09-23"));

        var week37 = await Api.WeeklyDispatch("2020-W37");
        var week39 = await Api.WeeklyDispatch("2020-W39");

        Assert.Equal(((50, 50), (1, 1)), (week37.County("happinessIndex"), week37.County("happinessHouseholds")));
        // 木城 75 (its latest), 三阳 92: the county (75 + 92) / 2 = 83.5, rounded to 84.
        Assert.Equal(((84, 34), (2, 1)), (week39.County("happinessIndex"), week39.County("happinessHouseholds")));
        Assert.Equal((75, 25), week39.Township("mucheng", "happinessIndex"));
        Assert.Equal((92, 92), week39.Township("sanyang", "happinessIndex"));
    }

    [Fact]
    public async Task A_voided_survey_no_longer_counts_in_the_households_index_or_the_report()
    {
        var a = await Api.RegisteredHousehold();
        var b = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("王三", sequence: 3)));
        await Surveyed(a, Survey(3, 3, 3, "2020-09-08"));
        await Surveyed(b, Survey(5, 5, 4, "2020-09-22"));
        await Surveyed(a, Survey(4, 4, 4, "2020-09-23"));
        var mistaken = (await Api.Audit($"/api/households/{a}/history?type=HappinessSurveyed")).GetProperty("items").EnumerateArray()
            .Single(e => e.GetProperty("data").GetProperty("surveyedOn").GetString() == "2020-09-23").GetProperty("sequence").GetInt64();

        await Api.Send(HttpMethod.Post, "/api/audit/corrections", new JsonObject { ["sequence"] = mistaken, ["reason"] = "录入错误：调查记在了错误的户上" });

        var happiness = await Api.Send(HttpMethod.Get, $"/api/households/{a}/happiness", null);
        Assert.Equal((50, "2020-09-08"), (happiness.GetProperty("index").GetInt32(), happiness.GetProperty("surveyedOn").GetString()));
        var index = await Api.Send(HttpMethod.Get, "/api/happiness", null, Keys.Reports);
        Assert.Equal((71.0m, 2), (index.GetProperty("overall").GetProperty("index").GetDecimal(), index.GetProperty("overall").GetProperty("households").GetInt32()));
        Assert.Equal(2, index.GetProperty("trend").EnumerateArray().Sum(p => p.GetProperty("surveys").GetInt32()));
        var week39 = await Api.WeeklyDispatch("2020-W39");
        // 木城 back to 50, 三阳 92: (50 + 92) / 2 = 71.
        Assert.Equal((50, 0), week39.Township("mucheng", "happinessIndex"));
        Assert.Equal(71, week39.County("happinessIndex").Value);
        Assert.Equal(2, week39.County("happinessHouseholds").Value);
    }
}
