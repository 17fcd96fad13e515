using System.Net;

namespace Relief.Api.Tests.Households;

/// <summary>
/// A change of a household's own facts reads what it decides on (the stream's state for the stream
/// policy, the write model, the keys that seal the head's name and the address) and the view its
/// inline projection updates in one round trip to PostgreSQL, and makes four in all
/// (docs/performance.md, the write profile). Counted, not timed: each Npgsql command or batch of the
/// request is one round trip.
/// </summary>
public sealed class HouseholdWriteRoundTripTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string Change =
        """{ "version": 2, "village": "西关村", "headName": "张三丰", "address": "西关村二组 3 号", "povertyCause": "Disability" }""";

    [Fact]
    public async Task The_stream_policy_the_write_model_the_keys_and_the_view_are_read_in_one_round_trip()
    {
        var id = await Api.RegisteredHousehold();

        var statements = await RoundTripsOfChange(id);

        var read = Assert.Single(statements, s => s.Contains("mt_doc_household ", StringComparison.Ordinal) && !s.Contains("insert", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("is_archived", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_householddatakey", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_persondatakey", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_householddetails", read, StringComparison.Ordinal);
        Assert.DoesNotContain(statements, s => s != read && s.Contains("mt_doc_householddatakey", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s != read && s.Contains("from relief.mt_doc_householddetails", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s != read && s.Contains("from relief.mt_streams where id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_change_makes_four_round_trips_the_key_the_reads_the_append_and_the_record_with_the_commit()
    {
        var id = await Api.RegisteredHousehold();

        var statements = await RoundTripsOfChange(id);

        Assert.Equal(4, statements.Count);
        Assert.Contains("pg_try_advisory_xact_lock", statements[0], StringComparison.Ordinal);
        Assert.Contains("is_archived", statements[1], StringComparison.Ordinal);
        Assert.Contains("mt_quick_append_events", statements[2], StringComparison.Ordinal);
        Assert.Contains("insert into relief.idempotency_keys", statements[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_view_read_with_the_write_model_is_the_one_the_projection_updates()
    {
        var id = await Api.RegisteredHousehold();

        await RoundTripsOfChange(id);
        var again = await Send(HttpMethod.Put, $"/api/households/{id}",
            """{ "version": 3, "village": "东关村", "headName": "张三", "address": "东关村一组 1 号", "povertyCause": "Illness" }""");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var household = await Api.Household(id);
        Assert.Equal("东关村", household.GetProperty("village").GetString());
        Assert.Equal("Illness", household.GetProperty("povertyCause").GetString());
        Assert.Equal(4, household.GetProperty("version").GetInt32());
    }

    /// <summary>The statements of each round trip the change made (one string per command or batch).</summary>
    private async Task<IReadOnlyList<string>> RoundTripsOfChange(Guid id)
    {
        using var sql = new SqlStatements();
        var response = await Send(HttpMethod.Put, $"/api/households/{id}", Change,
            headers: new Dictionary<string, string> { ["traceparent"] = sql.TraceParent, ["Idempotency-Key"] = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return sql.All;
    }
}
