using System.Text.Json.Nodes;

namespace Relief.Api.Tests.CarePlans;

/// <summary>Outreach visits (逐户走访) and follow-up visits (随访) through the HTTP pipeline.</summary>
public sealed class VisitTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Outreach_visits_hear_each_members_willingness_and_the_plan_keeps_every_visit()
    {
        var household = await Api.RegisteredHousehold(Requests.Household("mucheng", Requests.Member(), Requests.Member("张小", Relation.Child)));
        var members = (await Api.Household(household)).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("memberId").GetGuid()).ToList();
        var plan = await Api.DraftedPlan(household);
        await Api.OnPlan(plan, "outreach-visits", new JsonObject
        {
            ["version"] = 1, ["visitedOn"] = "2020-09-02",
            ["members"] = new JsonArray(
                new JsonObject { ["memberId"] = members[0].ToString(), ["willingness"] = "Unwilling" },
                new JsonObject { ["memberId"] = members[1].ToString(), ["willingness"] = "Undecided" }),
        }, Keys.Mucheng);
        await Api.OnPlan(plan, "outreach-visits", Requests.OutreachVisit(2, members[0], "Willing", "2020-09-20", note: null), CentreKeys.CivilAffairs);

        var visits = (await Api.Plan(plan)).GetProperty("outreachVisits");
        Assert.Equal(2, visits.GetArrayLength());
        Assert.Equal(["Unwilling", "Undecided"], visits[0].GetProperty("members").EnumerateArray().Select(m => m.GetProperty("willingness").GetString()!).ToArray());
        Assert.Equal("Willing", visits[1].GetProperty("members")[0].GetProperty("willingness").GetString());

        // A member named twice is refused, nothing recorded.
        var twice = await Api.OnPlan(plan, "outreach-visits", new JsonObject
        {
            ["version"] = 3, ["visitedOn"] = "2020-09-21",
            ["members"] = new JsonArray(
                new JsonObject { ["memberId"] = members[0].ToString(), ["willingness"] = "Willing" },
                new JsonObject { ["memberId"] = members[0].ToString(), ["willingness"] = "Unwilling" }),
        }, expectedStatus: 400);
        Assert.True(twice.GetProperty("errors").TryGetProperty("members[1].memberId", out _));
        Assert.Equal(3, (await Api.Plan(plan)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_follow_up_falls_due_after_the_interval_of_the_care_and_a_visit_moves_the_next_one()
    {
        var active = await Api.ActivePlan(); // activated 2020-09-05, home care: next follow-up 2020-10-05

        var due = Assert.Single((await Api.Send(HttpMethod.Get, "/api/follow-up-visits/due", null)).EnumerateArray());
        Assert.Equal(active.Plan, due.GetProperty("planId").GetGuid());
        Assert.Equal("2020-10-05", due.GetProperty("dueOn").GetString());
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/follow-up-visits/due?within=3", null)).EnumerateArray());
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/follow-up-visits/overdue", null)).EnumerateArray());

        Clock.Advance(TimeSpan.FromDays(9)); // 2020-10-10
        var overdue = Assert.Single((await Api.Send(HttpMethod.Get, "/api/follow-up-visits/overdue", null)).EnumerateArray());
        Assert.Equal(5, overdue.GetProperty("daysOverdue").GetInt32());
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/follow-up-visits/overdue", null, Keys.Sanyang)).EnumerateArray());

        await Api.OnPlan(active.Plan, "follow-up-visits", new JsonObject { ["version"] = active.Version, ["visitedOn"] = "2020-10-10" });
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/follow-up-visits/overdue", null)).EnumerateArray());
        var plan = await Api.Plan(active.Plan);
        Assert.Equal("2020-11-09", plan.GetProperty("nextFollowUpOn").GetString());
        Assert.Equal("2020-10-05", plan.GetProperty("followUps")[0].GetProperty("dueOn").GetString());
        await Api.Send(HttpMethod.Get, "/api/follow-up-visits/due?within=-1", null, expectedStatus: 400);
    }

    [Fact]
    public async Task A_centre_resident_is_followed_up_at_the_centres_interval()
    {
        var centre = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson();
        var stay = await Api.Admitted(centre, person, "2020-09-01");
        var plan = await Api.DraftedPlan(person.HouseholdId);
        var visit = (await Api.OnPlan(plan, "outreach-visits", Requests.OutreachVisit(1, person.MemberId))).GetProperty("visitId").GetGuid();
        await Api.OnPlan(plan, "assessment", Requests.Assessment(2, visit, person.MemberId));
        await Api.OnPlan(plan, "care", new JsonObject
        {
            ["version"] = 3, ["chosenOn"] = "2020-09-03",
            ["care"] = new JsonArray(new JsonObject { ["mode"] = "CentralisedCare", ["centreStayId"] = stay.ToString() }),
        });
        await Api.OnPlan(plan, "cadre", Requests.Cadre(4));
        await Api.OnPlan(plan, "activation", Requests.Activation(5));

        Assert.Equal("2020-12-04", (await Api.Plan(plan)).GetProperty("nextFollowUpOn").GetString()); // 90 days
    }
}
