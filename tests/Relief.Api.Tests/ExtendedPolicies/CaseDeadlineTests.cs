using Marten;
using Npgsql;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Deadlines;
using Wolverine.Tracking;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>
/// Deadlines: entering a stage with a service time stores a durable scheduled check in Wolverine's
/// inbox (PostgreSQL); when the check runs after the due time, a case still in its stage becomes
/// overdue. Wolverine schedules on the real clock while tests run on a fake one in 2020, so the
/// check is scheduled for the delay measured on the fake clock (days of real time: it never fires
/// during a test), and the tests run it through Wolverine themselves after advancing the fake clock.
/// </summary>
public sealed class CaseDeadlineTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>Overdue from Thursday 2020-10-15 00:00 China time: verification started Wednesday 2020-09-30 + 10 working days.</summary>
    private static readonly DateTimeOffset VerificationDueAt = new(2020, 10, 15, 0, 0, 0, TimeSpan.FromHours(8));

    private static CheckCaseDeadline VerificationCheck(Guid caseId) =>
        new(caseId, CaseStage.UnderVerification, new DateOnly(2020, 10, 14), VerificationDueAt);

    private static async Task<List<(string Status, DateTimeOffset ExecutionTime)>> ScheduledChecks(Guid caseId)
    {
        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var command = dataSource.CreateCommand(
            // owner_id 0: the check belongs to no node, so whichever node runs when it falls due (after a
            // restart, or another node after a crash) takes it from PostgreSQL.
            "select status, execution_time from relief.wolverine_incoming_envelopes " +
            "where message_type like '%CheckCaseDeadline%' and owner_id = 0 " +
            "and position(convert_to($1, 'UTF8') in body) > 0 order by execution_time");
        command.Parameters.AddWithValue(caseId.ToString());
        var found = new List<(string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) found.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        return found;
    }

    private async Task<int> OverdueEvents(Guid caseId)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(caseId)).Count(e => e.Data is CaseBecameOverdue);
    }

    [Fact]
    public async Task Entering_a_stage_with_a_service_time_stores_a_durable_scheduled_check_for_its_due_time()
    {
        var (_, caseId) = await Api.FamilyWithLoanIntent();
        await Api.Move(caseId, "eligibility", Requests.Eligibility(1, true), PolicyKeys.Bank);

        var before = DateTimeOffset.UtcNow;
        await Api.Move(caseId, "verification", Requests.Verification(2), PolicyKeys.Bank);
        var after = DateTimeOffset.UtcNow;

        // Applied, Eligible and UnderVerification each have a service time: three checks, all waiting.
        var checks = await ScheduledChecks(caseId);
        Assert.Equal(3, checks.Count);
        Assert.All(checks, c => Assert.Equal("Scheduled", c.Status));
        var delay = VerificationDueAt - AppFixture.Start;
        var verification = checks[^1].ExecutionTime;
        Assert.InRange(verification, before + delay - TimeSpan.FromSeconds(1), after + delay + TimeSpan.FromSeconds(1));
        Assert.Equal("2020-10-14", (await Api.PolicyCase(caseId)).GetProperty("dueOn").GetString());
    }

    [Fact]
    public async Task A_case_still_under_verification_after_ten_working_days_is_overdue_naming_the_bank_once()
    {
        var (familyId, caseId) = await Api.FamilyWithLoanUnderVerification();

        Clock.Advance(VerificationDueAt - AppFixture.Start + TimeSpan.FromDays(2)); // Saturday 2020-10-17, 10:00
        await Host.InvokeMessageAndWaitAsync(VerificationCheck(caseId));

        var overdue = Assert.Single((await Api.Send(HttpMethod.Get, "/api/policy-cases/overdue", null)).EnumerateArray());
        Assert.Equal(caseId, overdue.GetProperty("id").GetGuid());
        Assert.Equal(familyId, overdue.GetProperty("caregiverFamilyId").GetGuid());
        Assert.Equal("UnderVerification", overdue.GetProperty("stage").GetString());
        Assert.Equal("2020-10-14", overdue.GetProperty("dueOn").GetString());
        Assert.Equal(3, overdue.GetProperty("daysOverdue").GetInt32());
        Assert.Equal(["Bank", "PovertyAlleviationOffice"],
            overdue.GetProperty("owningDepartments").EnumerateArray().Select(d => d.GetString()!).ToArray());
        var read = await Api.PolicyCase(caseId);
        Assert.True(read.GetProperty("overdue").GetBoolean());
        Assert.True(read.GetProperty("history")[2].GetProperty("wentOverdue").GetBoolean());

        // Delivered again (a retry, a restart): nothing more.
        await Host.InvokeMessageAndWaitAsync(VerificationCheck(caseId));
        Assert.Equal(1, await OverdueEvents(caseId));

        // Granted late: no longer overdue, the history keeps that it was.
        await Api.Move(caseId, "grant", Requests.LoanGrant(4, grantedOn: "2020-10-16"), PolicyKeys.Bank);
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/policy-cases/overdue", null)).EnumerateArray());
        Assert.True((await Api.PolicyCase(caseId)).GetProperty("history")[2].GetProperty("wentOverdue").GetBoolean());
    }

    [Fact]
    public async Task A_case_that_moved_on_in_time_is_not_overdue_and_one_checked_early_is_not_either()
    {
        var (_, caseId) = await Api.FamilyWithLoanUnderVerification();

        await Host.InvokeMessageAndWaitAsync(VerificationCheck(caseId)); // 2020-10-01: not due yet
        Assert.Equal(0, await OverdueEvents(caseId));

        await Api.Move(caseId, "grant", Requests.LoanGrant(3), PolicyKeys.Bank);
        Clock.Advance(TimeSpan.FromDays(30));
        await Host.InvokeMessageAndWaitAsync(VerificationCheck(caseId));

        Assert.Equal(0, await OverdueEvents(caseId));
        Assert.False((await Api.PolicyCase(caseId)).GetProperty("overdue").GetBoolean());
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/policy-cases/overdue", null)).EnumerateArray());
    }

    [Fact]
    public async Task A_township_key_sees_only_its_townships_overdue_cases()
    {
        var (_, mucheng) = await Api.FamilyWithLoanUnderVerification("mucheng");
        var (_, sanyang) = await Api.FamilyWithLoanUnderVerification("sanyang");
        Clock.Advance(TimeSpan.FromDays(20));
        await Host.InvokeMessageAndWaitAsync(VerificationCheck(mucheng));
        await Host.InvokeMessageAndWaitAsync(VerificationCheck(sanyang));

        var seen = await Api.Send(HttpMethod.Get, "/api/policy-cases/overdue", null, Keys.Sanyang);
        Assert.Equal([sanyang], seen.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToArray());
        Assert.Equal(2, (await Api.Send(HttpMethod.Get, "/api/policy-cases/overdue", null)).GetArrayLength());
    }
}

public sealed class IdempotentCaseDeadlineTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_idempotent_retried_opening_opens_one_case_with_one_scheduled_check_in_the_same_transaction()
    {
        var familyId = await Api.QualifiedFamily();
        var body = Requests.PolicyCase("FinancialLoan", familyId).ToJsonString();
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "loan-intent-0001" };

        var first = await Send(HttpMethod.Post, "/api/policy-cases", body, PolicyKeys.Bank, headers: headers);
        var again = await Send(HttpMethod.Post, "/api/policy-cases", body, PolicyKeys.Bank, headers: headers);

        Assert.Equal(System.Net.HttpStatusCode.Created, first.StatusCode);
        var caseId = (await Json(first)).GetProperty("id").GetGuid();
        Assert.Equal(caseId, (await Json(again)).GetProperty("id").GetGuid());
        Assert.Single((await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{familyId}/policy-cases", null)).EnumerateArray());
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "select count(*) from relief.wolverine_incoming_envelopes where status = 'Scheduled' " +
            "and message_type like '%CheckCaseDeadline%' and position(convert_to($1, 'UTF8') in body) > 0");
        command.Parameters.AddWithValue(caseId.ToString());
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}

/// <summary>
/// What a restart relies on: the deadline check lives in PostgreSQL, not in the node's memory.
/// Here the stored check is made due in the database, and the running node's durability agent
/// finds it there by polling and runs it — as any node does after a restart or a crash.
/// </summary>
public sealed class StoredCaseDeadlineTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_stored_deadline_check_that_falls_due_is_run_from_PostgreSQL()
    {
        var (_, caseId) = await Api.FamilyWithLoanIntent();
        Clock.Advance(TimeSpan.FromDays(20));

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60))
            .WaitForMessageToBeReceivedAt<CheckCaseDeadline>(Host)
            .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
            {
                await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
                await using var command = dataSource.CreateCommand(
                    "update relief.wolverine_incoming_envelopes set execution_time = now() - interval '1 second' " +
                    "where status = 'Scheduled' and message_type like '%CheckCaseDeadline%' " +
                    "and position(convert_to($1, 'UTF8') in body) > 0");
                command.Parameters.AddWithValue(caseId.ToString());
                Assert.Equal(1, await command.ExecuteNonQueryAsync());
            }));

        await using var session = Store.QuerySession();
        var overdue = (await session.Events.FetchStreamAsync(caseId)).Select(e => e.Data).OfType<CaseBecameOverdue>();
        Assert.Equal(CaseStage.Applied, Assert.Single(overdue).Stage);
    }
}
