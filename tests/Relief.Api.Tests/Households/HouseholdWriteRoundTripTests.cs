using System.Net;

namespace Relief.Api.Tests.Households;

/// <summary>
/// A change of a household's own facts reads what it decides on (the stream's state for the stream
/// policy, the write model, the keys that seal the head's name and the address) in one round trip to
/// PostgreSQL (docs/performance.md, the write profile). Counted, not timed: each Npgsql command or
/// batch of the request is one round trip.
/// </summary>
public sealed class HouseholdWriteRoundTripTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string Change =
        """{ "version": 2, "village": "西关村", "headName": "张三丰", "address": "西关村二组 3 号", "povertyCause": "Disability" }""";

    [Fact]
    public async Task The_stream_policy_the_write_model_and_the_keys_are_read_in_one_round_trip()
    {
        var id = await Api.RegisteredHousehold();

        var statements = await RoundTripsOfChange(id);

        var read = Assert.Single(statements, s => s.Contains("mt_doc_household ", StringComparison.Ordinal) && !s.Contains("insert", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("is_archived", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_householddatakey", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_persondatakey", read, StringComparison.Ordinal);
        Assert.DoesNotContain(statements, s => s != read && s.Contains("mt_doc_householddatakey", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s != read && s.Contains("from relief.mt_streams where id", StringComparison.Ordinal));
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
