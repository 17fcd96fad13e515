using Relief.Api.Tests.Support;

namespace Relief.Api.Tests.Dispatch;

/// <summary>The weekly report as it stood at an instant: counted from the events recorded by then.</summary>
public sealed class WeeklyDispatchAsKnownTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_auditor_sees_a_week_as_it_was_known_at_an_instant_and_the_meeting_sees_it_as_known_now()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        // Recorded times are the database's (real) clock, not the test's business clock.
        var between = DateTimeOffset.UtcNow;
        await Api.HouseholdWithNeighbourAgreement("sanyang");

        var then = await AsKnown(between);
        var now = await AsKnown(DateTimeOffset.UtcNow);
        var live = await Api.WeeklyDispatch("2020-W40");

        Assert.Equal((1, 1), then.County("households"));
        Assert.Equal((0, 0), then.Township("sanyang", "households"));
        Assert.Equal((2, 2), now.County("households"));
        Assert.Equal(live.GetProperty("county").GetRawText(), now.GetProperty("county").GetRawText());
    }

    [Fact]
    public async Task A_correction_counts_in_the_report_as_known_after_it_and_not_before()
    {
        var (household, _) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.RecordedInspection(Requests.Inspection("mucheng", household, inspectedOn: "2020-09-30"));
        var beforeTheVoid = DateTimeOffset.UtcNow;
        var sequence = (await Api.Audit($"/api/households/{household}/history?type=InspectionRecorded"))
            .GetProperty("items")[0].GetProperty("sequence").GetInt64();
        await Void(sequence, "录入错误");

        var then = await AsKnown(beforeTheVoid);
        var now = await AsKnown(DateTimeOffset.UtcNow);

        Assert.Equal((1, 1), then.County("inspections"));
        Assert.Equal((0, 0), now.County("inspections"));
    }

    [Fact]
    public async Task A_voided_registration_counts_in_the_report_as_known_before_the_void_and_not_after()
    {
        var (household, _) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.HouseholdWithNeighbourAgreement("sanyang");
        var beforeTheVoid = DateTimeOffset.UtcNow;
        var sequence = (await Api.Audit($"/api/households/{household}/history?type=HouseholdRegistered"))
            .GetProperty("items")[0].GetProperty("sequence").GetInt64();
        await Void(sequence, "重复登记");

        var then = await AsKnown(beforeTheVoid);
        var now = await AsKnown(DateTimeOffset.UtcNow);
        var live = await Api.WeeklyDispatch("2020-W40");

        Assert.Equal((2, 2), then.County("households"));
        Assert.Equal((1, 1), now.County("households"));
        Assert.Equal((0, 0), now.Township("mucheng", "households"));
        Assert.Equal(live.GetProperty("county").GetRawText(), now.GetProperty("county").GetRawText());
    }

    [Fact]
    public async Task The_report_as_known_needs_audit_read_and_an_instant()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");

        var reports = await Send(HttpMethod.Get, "/api/audit/weekly-dispatch/2020-W40?asKnownAt=2030-01-01T00:00:00Z", key: Keys.Reports);
        var missing = await Send(HttpMethod.Get, "/api/audit/weekly-dispatch/2020-W40", key: Keys.Auditor);
        var before = await Send(HttpMethod.Get, "/api/audit/weekly-dispatch/2020-W40?asKnownAt=2001-01-01T00:00:00Z", key: Keys.Auditor);

        Assert.Equal(403, (int)reports.StatusCode);
        Assert.Equal(400, (int)missing.StatusCode);
        Assert.Equal(404, (int)before.StatusCode);
    }

    [Fact]
    public async Task The_report_as_known_carries_its_lists_lines_as_the_meetings_pages_show_them()
    {
        var (household, agreement) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/end",
            new System.Text.Json.Nodes.JsonObject { ["version"] = 1, ["endedOn"] = "2020-10-01", ["reason"] = "托养人外出务工" });
        await Api.FamilyWithLoanUnderVerification("sanyang");
        Clock.Advance(TimeSpan.FromDays(21));
        await Api.RegisteredHousehold(Requests.Household("sanyang"));
        var live = await Api.WeeklyDispatch("2020-W43");

        var known = await AsKnown(DateTimeOffset.UtcNow, "2020-W43");

        foreach (var list in new[] { "overdueCases", "householdsWithoutAgreement" })
        {
            var lines = known.GetProperty(list).GetProperty("items").EnumerateArray().Select(l => l.GetRawText()).ToList();
            Assert.False(known.GetProperty(list).TryGetProperty("href", out _));
            Assert.Equal(live.Listed(list), known.Listed(list));
            Assert.Equal(lines.Count, known.Listed(list));
            Assert.Equal((await Api.WeeklyDispatchList(live, list)).Select(l => l.GetRawText()), lines);
        }

        Assert.Equal(1, known.Listed("overdueCases"));
        Assert.Contains(household.ToString(), known.GetProperty("householdsWithoutAgreement").GetRawText());
    }

    /// <summary>A week's report as it was known at an instant, read by the auditor.</summary>
    private Task<System.Text.Json.JsonElement> AsKnown(DateTimeOffset at, string week = "2020-W40") =>
        Api.Send(HttpMethod.Get, $"/api/audit/weekly-dispatch/{week}?asKnownAt={Uri.EscapeDataString(at.ToString("O"))}", null, Keys.Auditor);

    private Task<System.Text.Json.JsonElement> Void(long sequence, string reason) =>
        Api.Send(HttpMethod.Post, "/api/audit/corrections", new System.Text.Json.Nodes.JsonObject { ["sequence"] = sequence, ["reason"] = reason });
}
