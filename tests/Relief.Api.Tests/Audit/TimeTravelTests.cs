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
}
