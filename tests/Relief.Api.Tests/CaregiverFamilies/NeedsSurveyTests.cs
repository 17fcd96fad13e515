using System.Net;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.CaregiverFamilies;

public sealed class NeedsSurveyTests(AppFixture fixture) : ApiTest(fixture)
{
    private static string Survey(int version, string surveyedOn, params string[] needs) => new JsonObject
    {
        ["version"] = version,
        ["surveyedOn"] = surveyedOn,
        ["needs"] = new JsonArray(needs.Select(n => (JsonNode)n).ToArray()),
        ["note"] = "入户排查",
    }.ToJsonString();

    [Fact]
    public async Task The_latest_survey_stands_on_the_family_view()
    {
        var id = await Api.RegisteredFamily();

        var first = await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs",
            Survey(2, "2020-09-10", "FinancialLoan", "TrainingAndEmployment"), Keys.Mucheng);
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        Assert.Equal(3, (await Json(first)).GetProperty("version").GetInt32());
        var needs = (await Api.Family(id)).GetProperty("needs");
        Assert.Equal("2020-09-10", needs.GetProperty("surveyedOn").GetString());
        Assert.Equal(["TrainingAndEmployment", "FinancialLoan"], needs.GetProperty("needs").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("入户排查", needs.GetProperty("note").GetString());

        Assert.Equal(HttpStatusCode.OK,
            (await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", Survey(3, "2020-09-30"))).StatusCode);
        needs = (await Api.Family(id)).GetProperty("needs");
        Assert.Equal("2020-09-30", needs.GetProperty("surveyedOn").GetString());
        Assert.Empty(needs.GetProperty("needs").EnumerateArray());
    }

    [Fact]
    public async Task A_survey_older_than_the_latest_is_a_409()
    {
        var id = await Api.RegisteredFamily();
        await Api.Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", JsonNode.Parse(Survey(2, "2020-09-10")));

        var response = await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", Survey(3, "2020-09-09"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_policy_a_repeated_one_or_a_missing_date_is_a_400()
    {
        var id = await Api.RegisteredFamily();

        var unknown = await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", Survey(2, "2020-09-10", "FreeHouse"));
        var twice = await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", Survey(2, "2020-09-10", "FamilyDoctor", "FamilyDoctor"));
        var noDate = await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", """{ "version": 2, "needs": [] }""");

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.True((await Json(twice)).GetProperty("errors").TryGetProperty("needs", out _));
        Assert.Equal(HttpStatusCode.BadRequest, noDate.StatusCode);
        Assert.True((await Json(noDate)).GetProperty("errors").TryGetProperty("surveyedOn", out _));
    }

    [Fact]
    public async Task Only_the_owners_of_the_survey_in_the_family_s_township_may_record_it_and_unknown_families_are_404()
    {
        var id = await Api.RegisteredFamily(Requests.CaregiverFamily("sanyang"));
        var body = Survey(2, "2020-09-10", "FamilyDoctor");

        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", body, Keys.Mucheng)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", body, FamilyKeys.CivilAffairs)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await Send(HttpMethod.Put, $"/api/caregiver-families/{Guid.CreateVersion7()}/needs", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs", body, Keys.Sanyang)).StatusCode);
    }
}
