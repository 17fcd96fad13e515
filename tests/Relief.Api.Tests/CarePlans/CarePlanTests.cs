using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Relief.Api.Audit.Disclosures;
using Relief.Api.CarePlans;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Tests.CarePlans;

/// <summary>Care plans (一户一策) through the HTTP pipeline: drafting to activation, the rules, scopes, and the cadre's personal data.</summary>
public sealed class CarePlanTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_plan_is_drafted_assessed_from_a_visit_given_care_and_a_cadre_and_comes_into_force()
    {
        var active = await Api.ActivePlan();

        var plan = await Api.Plan(active.Plan);
        Assert.Equal(active.Version, plan.GetProperty("version").GetInt32());
        Assert.Equal("Active", plan.GetProperty("status").GetString());
        Assert.Equal(active.Household, plan.GetProperty("householdId").GetGuid());
        Assert.Equal("2020-09-05", plan.GetProperty("activatedOn").GetString());
        Assert.Equal("2021-03-05", plan.GetProperty("nextReviewOn").GetString());
        Assert.Equal("2021-02-03", plan.GetProperty("reviewDueFrom").GetString()); // 30 days before
        // Neighbour care is home care: the first follow-up visit 30 days after the activation.
        Assert.Equal("2020-10-05", plan.GetProperty("nextFollowUpOn").GetString());
        var assessment = plan.GetProperty("assessment");
        Assert.Equal(active.Visit, assessment.GetProperty("visitId").GetGuid());
        var member = assessment.GetProperty("members")[0];
        Assert.Equal("Willing", member.GetProperty("willingness").GetString()); // as the visit heard it
        Assert.Equal("Full", member.GetProperty("dependency").GetString());
        Assert.Equal(["DailyCare", "Meals"], assessment.GetProperty("needs").EnumerateArray().Select(n => n.GetString()!).ToArray());
        var care = Assert.Single(plan.GetProperty("care").EnumerateArray());
        Assert.Equal(active.Agreement, care.GetProperty("agreementId").GetGuid());
        var visit = Assert.Single(plan.GetProperty("outreachVisits").EnumerateArray());
        Assert.Equal("想去中心住", visit.GetProperty("note").GetString());
        var cadre = plan.GetProperty("cadre");
        Assert.Equal("王建国", cadre.GetProperty("name").GetString());
        Assert.Equal("13912345678", cadre.GetProperty("phone").GetString()); // the office holds pii:read

        Assert.Equal(active.Plan, (await Api.Send(HttpMethod.Get, $"/api/households/{active.Household}/care-plan", null)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_cadres_phone_is_masked_without_pii_read_and_every_full_read_is_recorded()
    {
        var active = await Api.ActivePlan();
        var masked = (await Api.Plan(active.Plan, Keys.Mucheng)).GetProperty("cadre");
        Assert.Equal("王建国", masked.GetProperty("name").GetString());
        Assert.Equal("139****5678", masked.GetProperty("phone").GetString());
        Assert.Equal("Masked", masked.GetProperty("personalData").GetString());
        var before = await Disclosures();
        await Api.Plan(active.Plan, Keys.Mucheng);
        Assert.Equal(before, await Disclosures());

        await Api.Plan(active.Plan);
        Assert.Equal(before + 1, await Disclosures());

        async Task<int> Disclosures()
        {
            await using var session = Store.QuerySession();
            return await session.Query<PersonalDataDisclosure>().CountAsync(d => d.OwnerId == active.Household);
        }
    }

    [Fact]
    public async Task The_cadres_name_and_phone_and_the_notes_are_stored_sealed_never_in_clear()
    {
        var active = await Api.ActivePlan();
        await Api.OnPlan(active.Plan, "review", new JsonObject
        {
            ["version"] = active.Version, ["reviewedOn"] = "2020-09-30", ["nextReviewOn"] = "2021-03-30", ["note"] = "腿脚不便需复诊",
        });

        foreach (var secret in new[] { "王建国", "13912345678", "想去中心住", "腿脚不便需复诊" })
        {
            Assert.Equal(0L, await Api.Sql("select count(*) from relief.mt_events where data::text like '%' || $1 || '%'", secret));
            Assert.Equal(0L, await Api.Sql("select count(*) from relief.mt_doc_careplandetails where data::text like '%' || $1 || '%'", secret));
        }

        Assert.Equal("腿脚不便需复诊", (await Api.Plan(active.Plan)).GetProperty("reviews")[0].GetProperty("note").GetString());
    }

    [Fact]
    public async Task Erasing_the_cadre_forgets_their_key_once_and_the_plan_shows_erased()
    {
        var active = await Api.ActivePlan();
        var url = $"cadres/{active.Cadre}/personal-data/erasure";
        await Api.OnPlan(active.Plan, url, new JsonObject { ["version"] = active.Version, ["reason"] = "本人申请" });

        var cadre = (await Api.Plan(active.Plan)).GetProperty("cadre");
        Assert.Equal("[erased]", cadre.GetProperty("name").GetString());
        Assert.Equal("[erased]", cadre.GetProperty("phone").GetString());
        Assert.Equal("Erased", cadre.GetProperty("personalData").GetString());
        await using (var session = Store.QuerySession())
            Assert.Null(await session.LoadAsync<PersonDataKey>(active.Cadre));

        await Api.OnPlan(active.Plan, url, new JsonObject { ["version"] = active.Version + 1, ["reason"] = "again" }, expectedStatus: 409);
        await Api.OnPlan(active.Plan, $"cadres/{Guid.CreateVersion7()}/personal-data/erasure",
            new JsonObject { ["version"] = active.Version + 1, ["reason"] = "x" }, expectedStatus: 404);
        // A township may not erase (admin scope, poverty office's fact).
        await Api.OnPlan(active.Plan, url, new JsonObject { ["version"] = active.Version + 1, ["reason"] = "x" }, Keys.Mucheng, 403);
    }

    [Fact]
    public async Task A_household_has_one_plan_an_unknown_one_none_and_a_closed_one_no_new_one()
    {
        var household = await Api.RegisteredHousehold();
        await Api.DraftedPlan(household);
        var again = await Api.Send(HttpMethod.Post, $"/api/households/{household}/care-plan", new JsonObject { ["draftedOn"] = "2020-09-02" },
            expectedStatus: 409);
        Assert.Contains("one living plan", again.GetProperty("detail").GetString());

        await Api.Send(HttpMethod.Post, $"/api/households/{Guid.CreateVersion7()}/care-plan", new JsonObject { ["draftedOn"] = "2020-09-02" },
            expectedStatus: 404);
        await Api.Send(HttpMethod.Post, $"/api/care-plans/{Guid.CreateVersion7()}/activation", Requests.Activation(1), expectedStatus: 404);

        var closed = await Api.RegisteredHousehold();
        await Api.Send(HttpMethod.Post, $"/api/households/{closed}/closure",
            new JsonObject { ["version"] = 2, ["reason"] = "Deceased", ["closedOn"] = "2020-09-20" });
        await Api.Send(HttpMethod.Post, $"/api/households/{closed}/care-plan", new JsonObject { ["draftedOn"] = "2020-09-02" },
            expectedStatus: 409);
    }

    [Fact]
    public async Task A_plan_comes_into_force_only_complete_and_only_once()
    {
        var household = await Api.RegisteredHousehold();
        var plan = await Api.DraftedPlan(household);
        var refused = await Api.OnPlan(plan, "activation", Requests.Activation(1), expectedStatus: 409);
        Assert.Contains("an assessment, chosen care, a responsible cadre", refused.GetProperty("detail").GetString());
        Assert.Equal("Draft", (await Api.Plan(plan)).GetProperty("status").GetString());

        var active = await Api.ActivePlan();
        await Api.OnPlan(active.Plan, "activation", Requests.Activation(active.Version), expectedStatus: 409);
    }

    [Fact]
    public async Task An_erased_cadre_must_be_replaced_before_a_plan_comes_into_force()
    {
        var (household, agreement) = await Api.HouseholdWithNeighbourAgreement();
        var member = (await Api.Household(household)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        var plan = await Api.DraftedPlan(household);
        var visit = (await Api.OnPlan(plan, "outreach-visits", Requests.OutreachVisit(1, member))).GetProperty("visitId").GetGuid();
        await Api.OnPlan(plan, "assessment", Requests.Assessment(2, visit, member));
        await Api.OnPlan(plan, "care", Requests.HomeCare(3, agreement));
        var cadre = (await Api.OnPlan(plan, "cadre", Requests.Cadre(4))).GetProperty("cadreId").GetGuid();
        await Api.OnPlan(plan, $"cadres/{cadre}/personal-data/erasure", new JsonObject { ["version"] = 5, ["reason"] = "调离" });

        await Api.OnPlan(plan, "activation", Requests.Activation(6), expectedStatus: 409);
        await Api.OnPlan(plan, "cadre", Requests.Cadre(6, name: "李明"));
        await Api.OnPlan(plan, "activation", Requests.Activation(7));
        var read = await Api.Plan(plan);
        Assert.Equal("李明", read.GetProperty("cadre").GetProperty("name").GetString());
        Assert.Equal("[erased]", Assert.Single(read.GetProperty("formerCadres").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_stale_version_is_409_and_changes_nothing()
    {
        var active = await Api.ActivePlan();
        await Api.OnPlan(active.Plan, "follow-up-visits", new JsonObject { ["version"] = active.Version - 1, ["visitedOn"] = "2020-09-20" },
            expectedStatus: 409);
        Assert.Equal(active.Version, (await Api.Plan(active.Plan)).GetProperty("version").GetInt32());
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "outreach-visits", """{"version":6,"visitedOn":"2020-09-10","members":[{"memberId":"01900000-0000-7000-8000-000000000000","willingness":"Willing"}]}""", "members[0].memberId" },
        { "outreach-visits", """{"version":6,"visitedOn":"2020-08-10","members":[]}""", "visitedOn" },
        { "outreach-visits", """{"version":6,"visitedOn":"2020-10-02","members":[]}""", "members" },
        { "assessment", """{"version":6,"visitId":"01900000-0000-7000-8000-000000000000","assessedOn":"2020-09-10","members":[],"needs":[]}""", "visitId" },
        { "care", """{"version":6,"chosenOn":"2020-09-10","care":[{"mode":"KinshipCare","agreementId":"{agreement}"}]}""", "care[0].agreementId" },
        { "care", """{"version":6,"chosenOn":"2020-09-10","care":[{"mode":"CentralisedCare","agreementId":"{agreement}"}]}""", "care[0].centreStayId" },
        { "care", """{"version":6,"chosenOn":"2020-09-10","care":[]}""", "care" },
        { "measures", """{"version":6,"setOn":"2020-09-10","measures":[{"kind":"PolicyCase","id":"01900000-0000-7000-8000-000000000000"}]}""", "measures[0].id" },
        { "cadre", """{"version":6,"name":"王","phone":"12345","assignedOn":"2020-09-10"}""", "phone" },
        { "review", """{"version":6,"reviewedOn":"2020-09-10","nextReviewOn":"2020-09-09"}""", "nextReviewOn" },
        { "review", """{"version":6,"reviewedOn":"2020-09-01","nextReviewOn":"2021-09-09"}""", "reviewedOn" },
        { "follow-up-visits", """{"version":6,"visitedOn":"2020-09-04"}""", "visitedOn" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_naming_the_field_and_changes_nothing(string route, string body, string field)
    {
        var active = await Api.ActivePlan();
        var response = await Send(HttpMethod.Post, $"/api/care-plans/{active.Plan}/{route}", body.Replace("{agreement}", active.Agreement.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(active.Version, (await Api.Plan(active.Plan)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Care_names_the_households_own_agreements_and_stays_and_measures_its_own_cases()
    {
        var active = await Api.ActivePlan();
        var (_, otherAgreement) = await Api.HouseholdWithNeighbourAgreement();
        var refused = await Api.OnPlan(active.Plan, "care", Requests.HomeCare(active.Version, otherAgreement), expectedStatus: 400);
        Assert.Contains("another household", refused.GetProperty("errors").GetProperty("care[0].agreementId")[0].GetString());

        var householdCase = await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", householdId: active.Household));
        var saved = await Api.OnPlan(active.Plan, "measures", new JsonObject
        {
            ["version"] = active.Version, ["setOn"] = "2020-09-20",
            ["measures"] = new JsonArray(new JsonObject { ["kind"] = "PolicyCase", ["id"] = householdCase.ToString() }),
        });
        Assert.Equal(active.Version + 1, saved.GetProperty("version").GetInt32());
        Assert.Equal(householdCase, (await Api.Plan(active.Plan)).GetProperty("measures")[0].GetProperty("id").GetGuid());

        var otherCase = await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", householdId: await Api.RegisteredHousehold()));
        await Api.OnPlan(active.Plan, "measures", new JsonObject
        {
            ["version"] = active.Version + 1, ["setOn"] = "2020-09-20",
            ["measures"] = new JsonArray(new JsonObject { ["kind"] = "PolicyCase", ["id"] = otherCase.ToString() }),
        }, expectedStatus: 400);
    }

    [Fact]
    public async Task A_township_writes_and_reads_its_own_plans_only_and_a_department_without_the_fact_none()
    {
        var active = await Api.ActivePlan("mucheng");
        await Api.OnPlan(active.Plan, "follow-up-visits", new JsonObject { ["version"] = active.Version, ["visitedOn"] = "2020-09-20" },
            Keys.Sanyang, 403);
        await Api.Send(HttpMethod.Get, $"/api/care-plans/{active.Plan}", null, Keys.Sanyang, 403);
        await Api.OnPlan(active.Plan, "follow-up-visits", new JsonObject { ["version"] = active.Version, ["visitedOn"] = "2020-09-20" },
            Keys.Mucheng);

        // Civil affairs may visit (care-visits) but not change the plan (care-plans); HRSS neither.
        await Api.OnPlan(active.Plan, "follow-up-visits", new JsonObject { ["version"] = active.Version + 1, ["visitedOn"] = "2020-09-21" },
            CentreKeys.CivilAffairs);
        await Api.OnPlan(active.Plan, "review", new JsonObject
            { ["version"] = active.Version + 2, ["reviewedOn"] = "2020-09-22", ["nextReviewOn"] = "2021-03-22" }, CentreKeys.CivilAffairs, 403);
        await Api.OnPlan(active.Plan, "follow-up-visits", new JsonObject { ["version"] = active.Version + 2, ["visitedOn"] = "2020-09-22" },
            Keys.Hrss, 403);
    }

    [Fact]
    public async Task Households_without_a_plan_in_force_are_listed_for_the_county_and_each_township()
    {
        var active = await Api.ActivePlan("mucheng");
        var drafted = await Api.RegisteredHousehold(Requests.Household("mucheng"));
        var draft = await Api.DraftedPlan(drafted);
        var none = await Api.RegisteredHousehold(Requests.Household("sanyang"));

        var without = await Api.Send(HttpMethod.Get, "/api/care-plans/households-without", null);
        Assert.Equal(new[] { drafted, none }.Order(), without.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("householdId").GetGuid()).Order().ToArray());
        var draftItem = without.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("householdId").GetGuid() == drafted);
        Assert.Equal(draft, draftItem.GetProperty("planId").GetGuid());
        Assert.Equal("张三", draftItem.GetProperty("headName").GetString());

        var sanyang = await Api.Send(HttpMethod.Get, "/api/care-plans/households-without", null, Keys.Sanyang);
        Assert.Equal([none], sanyang.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("householdId").GetGuid()).ToArray());
        await Api.Send(HttpMethod.Get, "/api/care-plans/households-without?township=mucheng", null, Keys.Sanyang, 403);

        var coverage = await Api.Send(HttpMethod.Get, "/api/care-plans/coverage", null);
        var all = coverage[0];
        Assert.False(all.TryGetProperty("township", out var county) && county.ValueKind != JsonValueKind.Null, "the county's line names no township");
        Assert.Equal((3, 1, 1, 2), (all.GetProperty("households").GetInt32(), all.GetProperty("withPlanInForce").GetInt32(),
            all.GetProperty("drafts").GetInt32(), all.GetProperty("withoutPlanInForce").GetInt32()));
        var mucheng = coverage.EnumerateArray().Single(c => c.TryGetProperty("township", out var t) && t.GetString() == "mucheng");
        Assert.Equal((2, 1), (mucheng.GetProperty("households").GetInt32(), mucheng.GetProperty("withPlanInForce").GetInt32()));
        Assert.Single((await Api.Send(HttpMethod.Get, "/api/care-plans/coverage", null, Keys.Sanyang)).EnumerateArray());
        Assert.Equal(active.Plan, Assert.Single((await Api.Send(HttpMethod.Get, "/api/care-plans?status=Active", null)).GetProperty("items")
            .EnumerateArray()).GetProperty("id").GetGuid());
        await Api.Send(HttpMethod.Get, "/api/care-plans?status=Sleeping", null, expectedStatus: 400);
    }
}
