using System.Net;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Supervision;

public sealed class EvaluationTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<HttpResponseMessage> Evaluate(Guid householdId, JsonObject body, string key = Keys.PovertyOffice) =>
        Send(HttpMethod.Post, $"/api/households/{householdId}/evaluations", body.ToJsonString(), key);

    [Fact]
    public async Task A_good_evaluation_is_recorded_with_its_score_and_warns_nobody()
    {
        var (household, _, _) = await Api.CaredForHousehold();

        var response = await Evaluate(household, Requests.Evaluation(4, 5));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json(response);
        Assert.Equal(1, created.GetProperty("version").GetInt32());
        var evaluation = await Api.Send(HttpMethod.Get, $"/api/evaluations/{created.GetProperty("id").GetGuid()}", null);
        Assert.Equal((4.17m, 3.0m, false, "2020-Q3", "2020-07-01", "2020-09-30", "2020-10-01"),
            (evaluation.GetProperty("score").GetDecimal(), evaluation.GetProperty("threshold").GetDecimal(),
                evaluation.GetProperty("belowThreshold").GetBoolean(), evaluation.GetProperty("period").GetString(),
                evaluation.GetProperty("from").GetString(), evaluation.GetProperty("to").GetString(),
                evaluation.GetProperty("evaluatedOn").GetString()));
        Assert.Empty(evaluation.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task A_low_score_warns_the_caregiver_of_the_active_agreement()
    {
        var (household, agreement, family) = await Api.CaredForHousehold();

        var response = await Evaluate(household, Requests.Evaluation(3, 1));

        Assert.Equal(2, (await Json(response)).GetProperty("version").GetInt32());
        var evaluations = await Api.Send(HttpMethod.Get, $"/api/households/{household}/evaluations", null);
        var evaluation = Assert.Single(evaluations.EnumerateArray());
        Assert.Equal((2.67m, true), (evaluation.GetProperty("score").GetDecimal(), evaluation.GetProperty("belowThreshold").GetBoolean()));
        var warning = Assert.Single(evaluation.GetProperty("warnings").EnumerateArray());
        Assert.Equal((agreement, "李大娘", family), (warning.GetProperty("agreementId").GetGuid(),
            warning.GetProperty("caregiverName").GetString(), warning.GetProperty("caregiverFamilyId").GetGuid()));
        var warned = await Api.Send(HttpMethod.Get, "/api/evaluations?warned=true&township=mucheng", null);
        Assert.Single(warned.GetProperty("items").EnumerateArray());
        var familyWarnings = await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{family}/warnings", null);
        Assert.Equal(household, Assert.Single(familyWarnings.EnumerateArray()).GetProperty("householdId").GetGuid());
        var otherFamily = await Api.RegisteredFamily();
        Assert.Empty((await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{otherFamily}/warnings", null)).EnumerateArray());
    }

    [Fact]
    public async Task An_agreement_not_active_on_the_evaluation_date_is_not_warned()
    {
        var household = await Api.RegisteredHousehold();
        await Api.SignedAgreement(household, Requests.Agreement(startsOn: "2020-04-01", endsOn: "2020-08-31"));

        var response = await Evaluate(household, Requests.Evaluation(1));

        Assert.Equal(1, (await Json(response)).GetProperty("version").GetInt32());
        var evaluation = Assert.Single((await Api.Send(HttpMethod.Get, $"/api/households/{household}/evaluations", null)).EnumerateArray());
        Assert.True(evaluation.GetProperty("belowThreshold").GetBoolean());
        Assert.Empty(evaluation.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task The_rubric_and_the_threshold_are_published()
    {
        var rubric = await Api.Send(HttpMethod.Get, "/api/evaluations/rubric", null);

        Assert.Equal((1, 5, 3.0m), (rubric.GetProperty("lowest").GetInt32(), rubric.GetProperty("highest").GetInt32(),
            rubric.GetProperty("warningThreshold").GetDecimal()));
        Assert.Equal(5, rubric.GetProperty("levels").GetProperty("mentalState").GetArrayLength());
    }

    [Fact]
    public async Task A_period_may_be_given_as_from_and_to()
    {
        var household = await Api.RegisteredHousehold();
        var body = Requests.Evaluation();
        body.Remove("period");
        body["from"] = "2020-09-01";
        body["to"] = "2020-09-30";

        var id = await Api.Evaluated(household, body);

        var evaluation = await Api.Send(HttpMethod.Get, $"/api/evaluations/{id}", null);
        Assert.Equal("2020-09-01/2020-09-30", evaluation.GetProperty("period").GetString());
    }

    [Fact]
    public async Task Invalid_scores_and_periods_are_400s_naming_the_fields()
    {
        var household = await Api.RegisteredHousehold();
        var body = Requests.Evaluation(6, 0, period: "2020-Q9");
        body.Remove("evaluator");

        var response = await Evaluate(household, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["evaluator", "mentalState", "period", "qualityOfLife.companionship", "qualityOfLife.food",
                "qualityOfLife.health", "qualityOfLife.housing", "qualityOfLife.hygiene"],
            (await Json(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task An_unknown_household_or_evaluation_is_a_404()
    {
        var write = await Evaluate(Guid.CreateVersion7(), Requests.Evaluation());
        var read = await Send(HttpMethod.Get, $"/api/evaluations/{Guid.CreateVersion7()}");
        var list = await Send(HttpMethod.Get, $"/api/households/{Guid.CreateVersion7()}/evaluations");
        var warnings = await Send(HttpMethod.Get, $"/api/caregiver-families/{Guid.CreateVersion7()}/warnings");

        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, warnings.StatusCode);
    }

    [Fact]
    public async Task Evaluations_are_for_their_owners_and_a_township_evaluates_only_its_own()
    {
        var household = await Api.RegisteredHousehold(Requests.Household("sanyang"));

        var hrss = await Evaluate(household, Requests.Evaluation(), Keys.Hrss);
        var foreign = await Evaluate(household, Requests.Evaluation(), Keys.Mucheng);
        var own = await Evaluate(household, Requests.Evaluation(), Keys.Sanyang);
        var badFilter = await Send(HttpMethod.Get, "/api/evaluations?warned=maybe");

        Assert.Equal(HttpStatusCode.Forbidden, hrss.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
    }
}
