using System.Net;
using Marten;
using Npgsql;

namespace Relief.Api.Tests.Infrastructure;

public sealed class IdempotencyTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>One household's body per test: a retry sends the very same bytes.</summary>
    private readonly string _household = Requests.Household().ToJsonString();

    private Task<HttpResponseMessage> Register(string key, string? body = null, string apiKey = Keys.PovertyOffice) =>
        Send(HttpMethod.Post, "/api/households", body ?? _household, apiKey,
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });

    private async Task<int> StreamCount()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.Version == 1).CountAsync();
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_answer_and_writes_nothing()
    {
        var first = await Register("upload-2020-10-01-0001");
        var retry = await Register("upload-2020-10-01-0001");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await StreamCount());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_writes_nothing()
    {
        await Register("k-1");

        var response = await Register("k-1", Requests.Household("sanyang").ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("urn:relief:problem:idempotency-key-reused", (await Json(response)).GetProperty("type").GetString());
        Assert.Equal(1, await StreamCount());
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var mine = await Register("shared-key", apiKey: Keys.PovertyOffice);
        var theirs = await Register("shared-key", Requests.Household().ToJsonString(), Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(await mine.Content.ReadAsStringAsync(), await theirs.Content.ReadAsStringAsync());
        Assert.Equal(2, await StreamCount());
    }

    [Fact]
    public async Task A_refused_request_keeps_no_key_so_the_corrected_retry_goes_through()
    {
        var bad = Requests.Household();
        bad.Remove("village");

        var refused = await Register("k-2", bad.ToJsonString());
        var corrected = await Register("k-2");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(1, await StreamCount());
    }

    [Fact]
    public async Task The_same_key_while_the_first_request_still_runs_is_409()
    {
        // Stand in for a first request in flight: hold the key's transaction lock, as it does.
        await using var connection = new NpgsqlConnection(AppFixture.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 7))", connection, tx))
        {
            hold.Parameters.AddWithValue(Keys.PovertyOffice + "\n" + "k-3");
            await hold.ExecuteNonQueryAsync();
        }

        var response = await Register("k-3");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("urn:relief:problem:idempotency-in-progress", (await Json(response)).GetProperty("type").GetString());
        await tx.RollbackAsync();
        Assert.Equal(HttpStatusCode.Created, (await Register("k-3")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_key_write_exactly_once()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Register("k-burst")));

        Assert.Equal(1, await StreamCount());
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task The_key_and_the_events_commit_in_one_transaction()
    {
        await Register("k-4");

        await using var session = Store.QuerySession();
        var id = (await session.Events.QueryAllRawEvents().FirstAsync()).StreamId;
        await using var connection = new NpgsqlConnection(AppFixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select count(distinct e.transaction_id)
            from (select xmin::text as transaction_id from relief.mt_events where stream_id = $1
                  union all
                  select xmin::text from relief.idempotency_keys where key = 'k-4') e
            """, connection);
        command.Parameters.AddWithValue(id);

        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_key_is_stored_and_the_transaction_committed_in_one_round_trip()
    {
        using var sql = new SqlStatements();
        var response = await Send(HttpMethod.Post, "/api/households", _household,
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = "k-5", ["traceparent"] = sql.TraceParent });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var last = sql.All[^1];
        Assert.Contains("insert into relief.idempotency_keys", last, StringComparison.Ordinal);
        Assert.EndsWith("commit", last.TrimEnd(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("true", (await Register("k-5")).Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Theory]
    [InlineData("key\twith a tab")]
    [InlineData("ключ")]
    public async Task A_malformed_key_is_400(string key)
    {
        var response = await Register(key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:relief:problem:idempotency-key-invalid", (await Json(response)).GetProperty("type").GetString());
        Assert.Equal(0, await StreamCount());
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_400()
    {
        var response = await Register(new string('k', 256));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }
}
