using System.Diagnostics;
using Marten;
using Relief.Api.Dispatch.Report;
using Relief.Api.Supervision;
using Relief.Api.Tests.Support;

namespace Relief.Api.Tests.Dispatch;

/// <summary>
/// The weekly report's projection reads what a page of events needs in one round trip to PostgreSQL:
/// its bookkeeping, the weeks the page was recorded in, the subjects the events are about and the
/// households and families they only read (a case's label), not one read per kind or per event
/// (docs/performance.md, Rebuilds). Counted, not timed: each Npgsql command or batch is one round trip.
/// </summary>
public sealed class WeeklyDispatchRoundTripTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_page_with_a_case_opened_for_a_household_reads_the_case_the_household_and_the_weeks_in_one_round_trip()
    {
        var householdId = await Api.RegisteredHousehold();
        var caseId = await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", householdId: householdId, stage: "NeedIdentified"));
        await Api.ProjectionsCaughtUp();
        // As before the report's first page: the page is counted, not skipped as counted already.
        await Api.Sql("delete from relief.mt_doc_dispatchhorizon");

        var reads = await RoundTripsOfPage(caseId);

        var read = Assert.Single(reads);
        Assert.Contains("mt_doc_dispatchhorizon", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_weeklydispatch", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_dispatchcase", read, StringComparison.Ordinal);
        // The household is not one of the page's subjects: the case's label names it.
        Assert.Contains("mt_doc_dispatchhousehold", read, StringComparison.Ordinal);
    }

    /// <summary>The statements of each round trip the projection made to count the stream's events as one page (nothing is saved).</summary>
    private async Task<IReadOnlyList<string>> RoundTripsOfPage(Guid stream)
    {
        await using var session = Store.LightweightSession();
        var events = await session.Events.FetchStreamAsync(stream);
        using var sql = new SqlStatements();
        using (new Activity("weekly dispatch page").SetParentId(sql.TraceParent).Start())
        {
            await new WeeklyDispatchProjection(EvaluationSchedule.Default).ApplyAsync(session, events, CancellationToken.None);
        }

        return sql.All;
    }
}
