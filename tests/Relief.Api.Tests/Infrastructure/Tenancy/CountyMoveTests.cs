using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// Moving a county's database to another server while the host serves: the move freezes the
/// county's database (its writes 503, nothing written; its reads go on), refuses to complete until
/// the copy holds exactly its events, switches the registry, and after a restart the county is
/// served from the copy with every record; a cancelled move makes the county writable again.
/// </summary>
public sealed class CountyMoveTests
{
    private const string Province = "dev-province";
    private const string Code = "410825";
    private const string Key = "office-410825-move";

    /// <summary>A key that reads households without personal data (no <c>pii:read</c>): its reads write nothing.</summary>
    private const string Reader = "reader-410825-move";

    private static string Main => TestDatabases.Named("move_registry");

    private static string Source => TestDatabases.Named("move_410825");

    private static string Target => TestDatabases.Named("move_410825_b");

    private const string Events = "select count(*) from relief.mt_events";

    [Fact]
    public async Task A_moved_county_refuses_writes_while_frozen_completes_only_onto_an_exact_copy_and_is_served_from_it_after_a_restart()
    {
        await Fresh();
        Guid household;
        long frozen;
        await using (var host = await Start())
        {
            Assert.Equal(HttpStatusCode.Created, (await Send(host, HttpMethod.Post, "/api/counties", AddBody(), Province)).StatusCode);
            household = await new Support.Api(host).RegisteredHousehold(Support.Requests.Household("wenquan"), Key);

            using var started = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move", new JsonObject { ["database"] = TestDatabases.NameOf(Target) }, Province);
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            Assert.EndsWith("/" + TestDatabases.NameOf(Target), (await Json(started)).GetProperty("move").GetProperty("to").GetString());
            frozen = await TestDatabases.Scalar<long>(Source, Events);

            // Frozen: every write is 503 and writes nothing; reads go on.
            for (var i = 0; i < 3; i++)
            {
                using var write = await Send(host, HttpMethod.Post, "/api/households", Support.Requests.Household("wenquan"), Key);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
                Assert.Equal("urn:relief:problem:database-unavailable", (await Json(write)).GetProperty("type").GetString());
                Assert.Equal("5", write.Headers.RetryAfter?.ToString());
            }

            // A read that reveals personal data records the disclosure, which cannot be written now: 503 too.
            // A masked read writes nothing and goes on.
            using (var revealing = await Send(host, HttpMethod.Get, $"/api/households/{household}", null, Key))
                Assert.Equal(HttpStatusCode.ServiceUnavailable, revealing.StatusCode);
            Assert.Equal(household, (await new Support.Api(host).Household(household, Reader)).GetProperty("id").GetGuid());
            Assert.Equal(frozen, await TestDatabases.Scalar<long>(Source, Events));

            // Not yet copied, then a copy that misses an event: refused, naming both.
            using (var early = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move/completion", null, Province))
                Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            await TestDatabases.Copy(Source, Target);
            await Exec(Target, "delete from relief.mt_events where seq_id = (select max(seq_id) from relief.mt_events)");
            using (var partial = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move/completion", null, Province))
            {
                Assert.Equal(HttpStatusCode.Conflict, partial.StatusCode);
                Assert.Contains("does not hold the frozen database's events", (await Json(partial)).GetProperty("detail").GetString());
            }

            await TestDatabases.Copy(Source, Target);
            using var completed = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move/completion", null, Province);
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
            var county = await Json(completed);
            Assert.False(Moving(county));
            Assert.EndsWith("/" + TestDatabases.NameOf(Target), county.GetProperty("database").GetString());
        }

        // After a restart the county is served from the copy: its records are there, and it is written.
        await using (var host = await Start())
        {
            var api = new Support.Api(host);
            Assert.Equal(household, (await api.Household(household, Key)).GetProperty("id").GetGuid());
            await api.RegisteredHousehold(Support.Requests.Household("wenquan"), Key);
            Assert.True(await TestDatabases.Scalar<long>(Target, Events) > frozen);
            Assert.Equal(frozen, await TestDatabases.Scalar<long>(Source, Events));
            Assert.Equal("on", await TestDatabases.Scalar<string>(Source, "show default_transaction_read_only"));
        }
    }

    [Fact]
    public async Task A_cancelled_move_makes_the_county_writable_where_it_was_and_a_bad_move_is_refused()
    {
        await Fresh();
        await using var host = await Start();
        Assert.Equal(HttpStatusCode.Created, (await Send(host, HttpMethod.Post, "/api/counties", AddBody(), Province)).StatusCode);

        using (var nowhere = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move", new JsonObject(), Province))
            Assert.Equal(HttpStatusCode.BadRequest, nowhere.StatusCode);
        using (var itself = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move", new JsonObject { ["database"] = TestDatabases.NameOf(Source) }, Province))
            Assert.Equal(HttpStatusCode.Conflict, itself.StatusCode);
        using (var unknown = await Send(host, HttpMethod.Post, "/api/counties/410883/move", new JsonObject { ["database"] = "elsewhere" }, Province))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var notMoving = await Send(host, HttpMethod.Delete, $"/api/counties/{Code}/move", null, Province))
            Assert.Equal(HttpStatusCode.Conflict, notMoving.StatusCode);
        using (var county = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move", new JsonObject { ["database"] = "elsewhere" }, Key))
            Assert.Equal(HttpStatusCode.Forbidden, county.StatusCode);
        Assert.Equal("off", await TestDatabases.Scalar<string>(Source, "show default_transaction_read_only"));

        using (var started = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move", new JsonObject { ["database"] = TestDatabases.NameOf(Target) }, Province))
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        using (var twice = await Send(host, HttpMethod.Post, $"/api/counties/{Code}/move", new JsonObject { ["database"] = TestDatabases.NameOf(Target) }, Province))
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using (var frozen = await Send(host, HttpMethod.Post, "/api/households", Support.Requests.Household("wenquan"), Key))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, frozen.StatusCode);

        using var cancelled = await Send(host, HttpMethod.Delete, $"/api/counties/{Code}/move", null, Province);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.False(Moving(await Json(cancelled)));
        var household = await new Support.Api(host).RegisteredHousehold(Support.Requests.Household("wenquan"), Key);
        Assert.NotEqual(Guid.Empty, household);
        Assert.Equal("off", await TestDatabases.Scalar<string>(Source, "show default_transaction_read_only"));
    }

    private static async Task Fresh()
    {
        foreach (var connection in new[] { Main, Source }) await TestDatabases.Recreate(connection);
        await using var drop = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(Main) { Database = "postgres" }.ConnectionString);
        await using var command = drop.CreateCommand($"drop database if exists \"{TestDatabases.NameOf(Target)}\" with (force)");
        await command.ExecuteNonQueryAsync();
    }

    private static Task<IAlbaHost> Start() => SoloHost.StartAsync(Main, builder =>
    {
        builder.UseSetting("Relief:CountyRegistry:Enabled", "true");
        builder.UseSetting("Relief:ApiKeys:0:Name", Key);
        builder.UseSetting("Relief:ApiKeys:0:Hash", ApiKeyRegistry.HashOf(Key));
        builder.UseSetting("Relief:ApiKeys:0:Department", nameof(Department.PovertyAlleviationOffice));
        builder.UseSetting("Relief:ApiKeys:0:County", Code);
        for (var s = 0; s < Scopes.County.Count; s++) builder.UseSetting($"Relief:ApiKeys:0:Scopes:{s}", Scopes.County[s]);
        builder.UseSetting("Relief:ApiKeys:1:Name", Reader);
        builder.UseSetting("Relief:ApiKeys:1:Hash", ApiKeyRegistry.HashOf(Reader));
        builder.UseSetting("Relief:ApiKeys:1:Department", nameof(Department.PovertyAlleviationOffice));
        builder.UseSetting("Relief:ApiKeys:1:County", Code);
        builder.UseSetting("Relief:ApiKeys:1:Scopes:0", Scopes.HouseholdsRead);
    });

    private static JsonObject AddBody() => new()
    {
        ["code"] = Code,
        ["name"] = "温县",
        ["database"] = TestDatabases.NameOf(Source),
        ["townships"] = new JsonArray(new JsonObject { ["code"] = "wenquan", ["name"] = "温泉街道" }),
    };

    private static async Task Exec(string connection, string sql)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connection);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<HttpResponseMessage> Send(IAlbaHost host, HttpMethod method, string url, JsonNode? body, string? key)
    {
        using var client = host.Server.CreateClient();
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>Whether the county shows a move under way (a null is left out of the answer).</summary>
    private static bool Moving(JsonElement county) => county.TryGetProperty("move", out var move) && move.ValueKind != JsonValueKind.Null;

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
