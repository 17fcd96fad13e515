using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Dispatch;

/// <summary>The weekly report's needs unmet and evaluations due and missing.</summary>
public sealed class WeeklyDispatchNeedsTests(AppFixture fixture) : ApiTest(fixture)
{
    private static DateTimeOffset China(int month, int day) => new(2020, month, day, 10, 0, 0, TimeSpan.FromHours(8));

    private async Task Survey(Guid familyId, string surveyedOn, params string[] needs)
    {
        var version = (await Api.Family(familyId)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Put, $"/api/caregiver-families/{familyId}/needs", new JsonObject
        {
            ["version"] = version, ["surveyedOn"] = surveyedOn, ["needs"] = new JsonArray(needs.Select(n => (JsonNode)n).ToArray()),
        });
    }

    [Fact]
    public async Task A_need_counts_as_unmet_from_its_survey_until_the_week_its_case_is_granted()
    {
        var family = await Api.QualifiedFamily();
        await Survey(family, "2020-09-10", "FinancialLoan", "SocialAssistance");
        await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", family));
        var assistance = await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", family));
        await Api.Move(assistance, "verification", Requests.Verification(1), PolicyKeys.CivilAffairs);
        await Api.Move(assistance, "grant", Requests.AssistanceGrant(2), PolicyKeys.CivilAffairs);

        var week37 = await Api.WeeklyDispatch("2020-W37");
        var week39 = await Api.WeeklyDispatch("2020-W39");
        var week40 = await Api.WeeklyDispatch("2020-W40");

        Assert.Equal((2, 2), week37.County("needsUnmet"));
        Assert.Equal((2, 2), week37.Township("mucheng", "needsUnmet"));
        Assert.Equal((2, 0), week39.County("needsUnmet"));
        // The loan is only in progress; the assistance was granted on 2020-10-01.
        Assert.Equal((1, -1), week40.County("needsUnmet"));
    }

    [Fact]
    public async Task A_later_survey_replaces_the_needs_of_the_earlier_one()
    {
        var family = await Api.QualifiedFamily();
        await Survey(family, "2020-09-10", "FinancialLoan", "SocialAssistance");
        await Survey(family, "2020-09-22", "CharityAssistance");

        Assert.Equal((1, -1), (await Api.WeeklyDispatch("2020-W39")).County("needsUnmet"));
    }

    [Fact]
    public async Task Evaluations_are_due_after_the_quarter_and_missing_after_the_grace_until_recorded()
    {
        Fixture.ClockAt(China(6, 15));
        var evaluated = await Api.RegisteredHousehold();
        await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("王三", sequence: 3)));
        Fixture.ClockAt(China(10, 15));
        var body = Requests.Evaluation();
        body["evaluatedOn"] = "2020-10-12";
        await Api.Evaluated(evaluated, body);
        Fixture.ClockAt(China(11, 2));
        await Api.RegisteredHousehold(Requests.Household("mucheng", Requests.Member("赵四", sequence: 4)));

        var week40 = await Api.WeeklyDispatch("2020-W40");
        var week42 = await Api.WeeklyDispatch("2020-W42");
        var week44 = await Api.WeeklyDispatch("2020-W44");

        Assert.Equal(((2, 2), (0, 0)), (week40.County("evaluationsDue"), week40.County("evaluationsMissing")));
        Assert.Equal((1, -1), week42.County("evaluationsDue"));
        Assert.Equal((0, -1), week42.Township("mucheng", "evaluationsDue"));
        Assert.Equal(((0, -1), (1, 1)), (week44.County("evaluationsDue"), week44.County("evaluationsMissing")));
        Assert.Equal((1, 1), week44.Township("sanyang", "evaluationsMissing"));
    }
}
