using System.Text.Json.Nodes;

namespace Relief.Api.Tests.CarePlans;

/// <summary>The weekly dispatch report's figures of plans and visits, counted on the business dates the events carry.</summary>
public sealed class CarePlanDispatchTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Plans_in_force_due_overdue_households_without_one_and_visits_made_and_due_count_week_by_week()
    {
        // Households registered on 2020-08-25; the plans' steps recorded later, dated as they happened.
        Fixture.ClockAt(new DateTimeOffset(2020, 8, 25, 10, 0, 0, TimeSpan.FromHours(8)));
        var (a, agreement) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.RegisteredHousehold(Requests.Household("mucheng"));
        var c = await Api.RegisteredHousehold(Requests.Household("sanyang"));
        Fixture.ClockAt(AppFixture.Start); // 2020-10-01

        // A: activated 2020-09-05, review by 2020-09-30 (due from 08-31, so from its activation); follow-up due 10-05.
        var member = (await Api.Household(a)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        var plan = await Api.DraftedPlan(a);
        var visit = (await Api.OnPlan(plan, "outreach-visits", Requests.OutreachVisit(1, member))).GetProperty("visitId").GetGuid();
        await Api.OnPlan(plan, "assessment", Requests.Assessment(2, visit, member));
        await Api.OnPlan(plan, "care", Requests.HomeCare(3, agreement));
        await Api.OnPlan(plan, "cadre", Requests.Cadre(4));
        await Api.OnPlan(plan, "activation", Requests.Activation(5, nextReviewOn: "2020-09-30"));
        // C: a draft with an outreach visit.
        var cMember = (await Api.Household(c)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        await Api.OnPlan(await Api.DraftedPlan(c), "outreach-visits", Requests.OutreachVisit(1, cMember, "Undecided"), Keys.Sanyang);

        Clock.Advance(TimeSpan.FromDays(11)); // 2020-10-12
        // Weeks are written up to the latest business date: these make W37..W42.
        await Api.OnPlan(plan, "follow-up-visits", new JsonObject { ["version"] = 6, ["visitedOn"] = "2020-10-12" });
        await Api.OnPlan(plan, "review", new JsonObject { ["version"] = 7, ["reviewedOn"] = "2020-10-12", ["nextReviewOn"] = "2021-04-12" });

        var w36 = await Api.WeeklyDispatch("2020-W36"); // 08-31 .. 09-06
        Assert.Equal((1, 1), w36.County("carePlansActive"));
        Assert.Equal((1, 1), w36.County("carePlansDueForReview"));
        Assert.Equal((2, -1), w36.County("householdsWithoutCarePlan"));
        Assert.Equal((2, 2), w36.County("outreachVisits"));
        var w39 = await Api.WeeklyDispatch("2020-W39"); // .. 09-27
        Assert.Equal((1, 0), w39.County("carePlansDueForReview"));
        Assert.Equal((0, 0), w39.County("carePlansOverdue"));
        var w40 = await Api.WeeklyDispatch("2020-W40"); // .. 10-04
        Assert.Equal((0, -1), w40.County("carePlansDueForReview"));
        Assert.Equal((1, 1), w40.County("carePlansOverdue"));
        Assert.Equal((1, 1), w40.Township("mucheng", "carePlansOverdue"));
        Assert.Equal((1, 0), w40.Township("mucheng", "householdsWithoutCarePlan"));
        Assert.Equal((1, 0), w40.Township("sanyang", "householdsWithoutCarePlan"));
        Assert.Equal((0, 0), w40.County("followUpVisitsDue"));

        var w41 = await Api.WeeklyDispatch("2020-W41"); // .. 10-11
        Assert.Equal((1, 1), w41.County("followUpVisitsDue"));
        Assert.Equal((1, 0), w41.County("carePlansOverdue"));
        var w42 = await Api.WeeklyDispatch("2020-W42");
        Assert.Equal((0, -1), w42.County("followUpVisitsDue"));
        Assert.Equal((1, 1), w42.County("followUpVisits"));
        Assert.Equal((0, -1), w42.County("carePlansOverdue"));
        Assert.Equal((1, 0), w42.County("carePlansActive"));
    }
}
