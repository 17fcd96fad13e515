using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Audit;

public class TimeTravelTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>Registered on 2020-10-01 (v2), monitored since 2020-10-05 (v3, recorded 2020-10-11), moved to 西关村 (v4).</summary>
    private async Task<Guid> HouseholdWithAPast()
    {
        var household = await Api.RegisteredHousehold();
        Clock.Advance(TimeSpan.FromDays(10));
        await Api.Send(HttpMethod.Put, $"/api/households/{household}/monitoring",
            new JsonObject { ["version"] = 2, ["status"] = "Monitored", ["since"] = "2020-10-05" });
        await Api.Send(HttpMethod.Put, $"/api/households/{household}", new JsonObject
        {
            ["version"] = 3, ["village"] = "西关村", ["headName"] = "张三", ["address"] = "西关村三组 1 号", ["povertyCause"] = "Illness",
        });
        return household;
    }

    private Task<System.Text.Json.JsonElement> AsOf(Guid household, string query, int status = 200) =>
        Api.Audit($"/api/audit/households/{household}{query}", Keys.Auditor, status);

    [Fact]
    public async Task A_household_as_it_was_at_a_stream_version()
    {
        var household = await HouseholdWithAPast();

        var registered = await AsOf(household, "?version=2");
        Assert.Equal(2, registered.GetProperty("version").GetInt32());
        Assert.Equal("东关村", registered.GetProperty("village").GetString());
        Assert.Equal("NotMonitored", registered.GetProperty("monitoring").GetString());
        var member = Assert.Single(registered.GetProperty("members").EnumerateArray());
        Assert.Equal("138****8000", member.GetProperty("phone").GetString());

        var monitored = await AsOf(household, "?version=3");
        Assert.Equal("Monitored", monitored.GetProperty("monitoring").GetString());
        Assert.Equal("东关村", monitored.GetProperty("village").GetString());

        Assert.Equal("西关村", (await AsOf(household, "")).GetProperty("village").GetString());
    }

    [Fact]
    public async Task As_known_at_an_instant_leaves_out_what_was_recorded_later()
    {
        var household = await HouseholdWithAPast();
        var history = await Api.Audit($"/api/households/{household}/history?type=HouseholdDetailsChanged");
        var changedAt = history.GetProperty("items")[0].GetProperty("recordedAt").GetDateTimeOffset();

        var before = await AsOf(household, $"?asOf={Uri.EscapeDataString(changedAt.ToString("O"))}");
        Assert.Equal("东关村", before.GetProperty("village").GetString());
        Assert.Equal("Monitored", before.GetProperty("monitoring").GetString());
        Assert.Equal(3, before.GetProperty("version").GetInt32());

        await AsOf(household, "?asOf=2020-01-01", 404);
    }

    [Fact]
    public async Task Effective_on_a_date_follows_the_business_dates_not_the_recording()
    {
        var household = await HouseholdWithAPast();

        // The monitoring change was recorded on 2020-10-11 but is effective from 2020-10-05.
        Assert.Equal("NotMonitored", (await AsOf(household, "?effectiveOn=2020-10-04")).GetProperty("monitoring").GetString());
        Assert.Equal("Monitored", (await AsOf(household, "?effectiveOn=2020-10-05")).GetProperty("monitoring").GetString());
        await AsOf(household, "?effectiveOn=2020-09-30", 404);
    }

    [Fact]
    public async Task Time_travel_needs_audit_read_and_valid_values()
    {
        var household = await Api.RegisteredHousehold();
        await Api.Audit($"/api/audit/households/{household}", Keys.Hrss, 403);
        var invalid = await AsOf(household, "?version=0&effectiveOn=2020-1-1&asOf=soon", 400);
        foreach (var field in new[] { "version", "effectiveOn", "asOf" })
            Assert.True(invalid.GetProperty("errors").TryGetProperty(field, out _), field);
        await AsOf(Guid.CreateVersion7(), "", 404);
    }

    [Fact]
    public async Task A_township_bound_caller_is_refused_another_township_s_household_before_its_events_are_read()
    {
        var household = await HouseholdWithAPast();

        async Task<IReadOnlyList<string>> StatementsOfAsOf(string township, System.Net.HttpStatusCode expected)
        {
            using var sql = new SqlStatements();
            var token = Tokens.Issue($"auditor-{township}", "Township", "audit:read", township);
            var response = await Send(HttpMethod.Get, $"/api/audit/households/{household}?version=2", key: null,
                headers: new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}", ["traceparent"] = sql.TraceParent });
            Assert.Equal(expected, response.StatusCode);
            return sql.All;
        }

        var refused = await StatementsOfAsOf("sanyang", System.Net.HttpStatusCode.Forbidden);
        Assert.Contains(refused, s => s.Contains("mt_doc_householddetails"));
        Assert.DoesNotContain(refused, s => s.Contains("mt_events"));

        Assert.Contains(await StatementsOfAsOf("mucheng", System.Net.HttpStatusCode.OK), s => s.Contains("mt_events"));
    }

    /// <summary>When the household's history says an event of the type was recorded (the first such).</summary>
    private async Task<string> RecordedAt(Guid household, string type) =>
        Uri.EscapeDataString((await Api.Audit($"/api/households/{household}/history?type={type}"))
            .GetProperty("items")[0].GetProperty("recordedAt").GetDateTimeOffset().ToString("O"));

    private static bool HasPlan(System.Text.Json.JsonElement household) =>
        household.TryGetProperty("plan", out var plan) && plan.ValueKind != System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task The_household_as_of_a_date_holds_its_plan_and_agreements_as_they_stood_then()
    {
        // Registered on 2020-10-01, then a neighbour-care agreement from 2020-04-01 to 2021-03-31; a plan drafted on
        // 2020-10-02, put in force on 2020-10-03; the agreement ended on 2020-10-10.
        var household = await Api.RegisteredHousehold();
        Clock.Advance(TimeSpan.FromDays(20));
        var agreement = await Api.SignedAgreement(household);
        var member = (await Api.Household(household)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        var plan = await Api.DraftedPlan(household, draftedOn: "2020-10-02");
        var visit = (await Api.OnPlan(plan, "outreach-visits", Requests.OutreachVisit(1, member, visitedOn: "2020-10-03")))
            .GetProperty("visitId").GetGuid();
        await Api.OnPlan(plan, "assessment", Requests.Assessment(2, visit, member, assessedOn: "2020-10-03"));
        await Api.OnPlan(plan, "care", Requests.HomeCare(3, agreement, chosenOn: "2020-10-03"));
        await Api.OnPlan(plan, "cadre", Requests.Cadre(4, assignedOn: "2020-10-03"));
        await Api.OnPlan(plan, "activation", Requests.Activation(5, activatedOn: "2020-10-03", nextReviewOn: "2021-04-03"));
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/end",
            JsonNode.Parse("""{ "version": 1, "endedOn": "2020-10-10", "reason": "caregiver moved away" }"""));

        // A version of the household's own stream cuts the others where that version was recorded.
        var registered = await AsOf(household, "?version=1");
        Assert.Empty(registered.GetProperty("agreements").EnumerateArray());
        Assert.False(HasPlan(registered));

        // As known just before the assessment: a draft plan, the agreement not yet ended.
        var drafted = await AsOf(household, $"?asOf={await RecordedAt(household, "CarePlanAssessed")}");
        Assert.Equal("Draft", drafted.GetProperty("plan").GetProperty("status").GetString());
        var signed = Assert.Single(drafted.GetProperty("agreements").EnumerateArray());
        Assert.Equal(agreement, signed.GetProperty("id").GetGuid());
        Assert.Equal("2021-03-31", signed.GetProperty("lastDay").GetString());
        Assert.Equal("李大娘", signed.GetProperty("caregiver").GetProperty("name").GetString());
        var beforeEnd = await AsOf(household, $"?asOf={await RecordedAt(household, "CareAgreementEnded")}");
        Assert.Equal("Active", beforeEnd.GetProperty("plan").GetProperty("status").GetString());
        Assert.Equal("2021-03-31", beforeEnd.GetProperty("agreements")[0].GetProperty("lastDay").GetString());

        // Effective on a date, as known now: the plan and the agreement by their business dates.
        var onTheSecond = await AsOf(household, "?effectiveOn=2020-10-02");
        Assert.Equal("2020-10-02", onTheSecond.GetProperty("day").GetString());
        Assert.Equal("Draft", onTheSecond.GetProperty("plan").GetProperty("status").GetString());
        var inForce = await AsOf(household, "?effectiveOn=2020-10-05");
        Assert.Equal("Active", inForce.GetProperty("plan").GetProperty("status").GetString());
        Assert.Equal("2021-04-03", inForce.GetProperty("plan").GetProperty("nextReviewOn").GetString());
        Assert.Equal(agreement, inForce.GetProperty("plan").GetProperty("care")[0].GetProperty("agreementId").GetGuid());
        Assert.True(inForce.GetProperty("agreements")[0].GetProperty("activeToday").GetBoolean());
        var ended = Assert.Single((await AsOf(household, "?effectiveOn=2020-10-12")).GetProperty("agreements").EnumerateArray());
        Assert.False(ended.GetProperty("activeToday").GetBoolean());
        Assert.Equal("2020-10-10", ended.GetProperty("lastDay").GetString());
    }

    [Fact]
    public async Task The_household_as_of_a_date_holds_its_members_centre_stays_as_they_stood_then()
    {
        var centre = await Api.CentreWithBeds(2);
        var person = await Api.EligiblePerson();
        Clock.Advance(TimeSpan.FromDays(20));
        var stay = await Api.Admitted(centre, person, admittedOn: "2020-10-03");
        await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/residents/{stay}/discharge",
            JsonNode.Parse("""{ "dischargedOn": "2020-10-15", "reason": "returned home" }"""), CentreKeys.CivilAffairs);

        Assert.Empty((await AsOf(person.HouseholdId, "?effectiveOn=2020-10-02")).GetProperty("stays").EnumerateArray());
        Assert.Empty((await AsOf(person.HouseholdId, $"?asOf={await RecordedAt(person.HouseholdId, "ResidentAdmitted")}"))
            .GetProperty("stays").EnumerateArray());

        var resident = Assert.Single((await AsOf(person.HouseholdId, "?effectiveOn=2020-10-10")).GetProperty("stays").EnumerateArray());
        Assert.Equal(stay, resident.GetProperty("stayId").GetGuid());
        Assert.Equal("Active", resident.GetProperty("status").GetString());
        Assert.Equal("木城医养中心", resident.GetProperty("centreName").GetString());
        Assert.Equal(person.MemberId, resident.GetProperty("memberId").GetGuid());

        var left = Assert.Single((await AsOf(person.HouseholdId, "")).GetProperty("stays").EnumerateArray());
        Assert.Equal("Discharged", left.GetProperty("status").GetString());
        Assert.Equal("2020-10-15", left.GetProperty("to").GetString());
    }
}
