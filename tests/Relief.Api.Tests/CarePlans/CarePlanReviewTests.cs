using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using Relief.Api.CarePlans;
using Relief.Api.CarePlans.Reviews;
using Wolverine.Tracking;

namespace Relief.Api.Tests.CarePlans;

/// <summary>
/// Reviews are raised by Relief itself: activating (or reviewing) a plan stores two durable scheduled
/// checks in Wolverine's inbox (PostgreSQL), one for the day the review falls due, one for the day after
/// its date. As for case deadlines, the checks are scheduled for the delay measured on the fake clock
/// (days of real time: they never fire during a test), and the tests run them through Wolverine after
/// advancing the clock.
/// </summary>
public sealed class CarePlanReviewTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly DateOnly ReviewOn = new(2020, 11, 15);

    /// <summary>Due from 2020-10-16 (30 days before), overdue from 2020-11-16, China time.</summary>
    private static CheckCarePlanReview Check(Guid planId, ReviewCheck check) =>
        new(planId, ReviewOn, check, CarePlanSchedule.StartOf(check == ReviewCheck.FallsDue ? new DateOnly(2020, 10, 16) : new DateOnly(2020, 11, 16)));

    private static async Task<List<(string Status, DateTimeOffset ExecutionTime)>> ScheduledChecks(Guid planId)
    {
        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "select status, execution_time from relief.wolverine_incoming_envelopes where message_type like '%CheckCarePlanReview%' " +
            "and owner_id = 0 and position(convert_to($1, 'UTF8') in body) > 0 order by execution_time");
        command.Parameters.AddWithValue(planId.ToString());
        var found = new List<(string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) found.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        return found;
    }

    private async Task<int> Raised(Guid planId)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(planId)).Count(e => e.Data is CarePlanReviewFellDue or CarePlanReviewOverdue);
    }

    private async Task<string> Status(Guid planId) => (await Api.Plan(planId)).GetProperty("status").GetString()!;

    [Fact]
    public async Task Activating_a_plan_stores_durable_checks_for_the_day_its_review_falls_due_and_the_day_after_its_date()
    {
        var before = DateTimeOffset.UtcNow;
        var active = await Api.ActivePlan(nextReviewOn: "2020-11-15");
        var after = DateTimeOffset.UtcNow;

        var checks = await ScheduledChecks(active.Plan);
        Assert.Equal(2, checks.Count);
        Assert.All(checks, c => Assert.Equal("Scheduled", c.Status));
        var dueDelay = Check(active.Plan, ReviewCheck.FallsDue).At - AppFixture.Start;
        var overdueDelay = Check(active.Plan, ReviewCheck.Overdue).At - AppFixture.Start;
        Assert.InRange(checks[0].ExecutionTime, before + dueDelay - TimeSpan.FromSeconds(1), after + dueDelay + TimeSpan.FromSeconds(1));
        Assert.InRange(checks[1].ExecutionTime, before + overdueDelay - TimeSpan.FromSeconds(1), after + overdueDelay + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_review_falls_due_then_overdue_once_each_and_a_review_makes_the_plan_active_again()
    {
        var active = await Api.ActivePlan(nextReviewOn: "2020-11-15");

        await Host.InvokeMessageAndWaitAsync(Check(active.Plan, ReviewCheck.FallsDue)); // 2020-10-01: not yet
        Assert.Equal("Active", await Status(active.Plan));

        Clock.Advance(TimeSpan.FromDays(20)); // 2020-10-21
        await Host.InvokeMessageAndWaitAsync(Check(active.Plan, ReviewCheck.FallsDue));
        await Host.InvokeMessageAndWaitAsync(Check(active.Plan, ReviewCheck.FallsDue)); // delivered again: nothing more
        Assert.Equal("DueForReview", await Status(active.Plan));
        Assert.Equal(1, await Raised(active.Plan));
        var due = Assert.Single((await Api.Send(HttpMethod.Get, "/api/care-plans?status=DueForReview", null)).GetProperty("items").EnumerateArray());
        Assert.Equal(active.Plan, due.GetProperty("id").GetGuid());

        Clock.Advance(TimeSpan.FromDays(30)); // 2020-11-20
        await Host.InvokeMessageAndWaitAsync(Check(active.Plan, ReviewCheck.Overdue));
        Assert.Equal("Overdue", await Status(active.Plan));
        Assert.Equal(2, await Raised(active.Plan));

        await Api.OnPlan(active.Plan, "review", new JsonObject
            { ["version"] = active.Version + 2, ["reviewedOn"] = "2020-11-20", ["nextReviewOn"] = "2021-05-20" });
        Assert.Equal("Active", await Status(active.Plan));
        // The old review's checks, delivered late, change nothing: the plan waits for another review now.
        await Host.InvokeMessageAndWaitAsync(Check(active.Plan, ReviewCheck.Overdue));
        Assert.Equal("Active", await Status(active.Plan));
        Assert.Equal(2, await Raised(active.Plan));
        Assert.Equal(2, (await ScheduledChecks(active.Plan)).Count(c => c.ExecutionTime > DateTimeOffset.UtcNow + TimeSpan.FromDays(100)));
    }

    [Fact]
    public async Task A_plan_reviewed_in_time_never_falls_overdue()
    {
        var active = await Api.ActivePlan(nextReviewOn: "2020-11-15");
        await Api.OnPlan(active.Plan, "review", new JsonObject
            { ["version"] = active.Version, ["reviewedOn"] = "2020-10-01", ["nextReviewOn"] = "2021-04-01" });

        Clock.Advance(TimeSpan.FromDays(60));
        await Host.InvokeMessageAndWaitAsync(Check(active.Plan, ReviewCheck.FallsDue));
        await Host.InvokeMessageAndWaitAsync(Check(active.Plan, ReviewCheck.Overdue));
        Assert.Equal("Active", await Status(active.Plan));
        Assert.Equal(0, await Raised(active.Plan));
    }

    [Fact]
    public async Task A_draft_cannot_be_reviewed()
    {
        var plan = await Api.DraftedPlan(await Api.RegisteredHousehold());
        await Api.OnPlan(plan, "review", new JsonObject { ["version"] = 1, ["reviewedOn"] = "2020-09-20", ["nextReviewOn"] = "2021-03-20" },
            expectedStatus: 409);
    }
}
