using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// The move of operations.md §9, exercised: a Relief that served one county in one database (no
/// counties configured) is stopped, and its database, history and all, is added to a county registry
/// as Wuzhi's. The registry's host then verifies the same hash chain and extends it, shows the same
/// weekly report and the same household history, and replays an acknowledged write from its
/// idempotency record instead of writing it again.
/// </summary>
public sealed class SingleCountyMigrationTests : IAsyncLifetime
{
    private const string Wuzhi = CountyDirectory.DefaultCode;
    private const string RetryKey = "migration-household-0001";

    private static string OldConnection => TestDatabases.Named("migration_single");

    private static string RegistryConnection => TestDatabases.Named("migration_registry");

    public async Task InitializeAsync()
    {
        await TestDatabases.Recreate(OldConnection);
        await TestDatabases.Recreate(RegistryConnection);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_single_county_database_moved_into_the_registry_keeps_its_chain_reports_history_and_idempotency_records()
    {
        // Before: one county, one database, as every deployment before the registry.
        Guid household;
        var retriedBody = Requests.Household().ToJsonString();
        string firstAnswer, reportBefore, historyBefore;
        long chainedBefore;
        await using (var single = await StartAsync(OldConnection, registry: false))
        {
            var api = new Support.Api(single);
            using var first = await Register(single, retriedBody);
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            firstAnswer = await first.Content.ReadAsStringAsync();
            household = JsonDocument.Parse(firstAnswer).RootElement.GetProperty("id").GetGuid();
            var other = await api.RegisteredHousehold();
            var version = (await api.Household(other)).GetProperty("version").GetInt32();
            await api.Send(HttpMethod.Post, $"/api/households/{other}/closure",
                new JsonObject { ["version"] = version, ["reason"] = "MovedAway", ["closedOn"] = "2020-09-30" });

            reportBefore = (await api.WeeklyDispatch()).GetRawText();
            await api.AuditChainCaughtUp();
            var verified = await api.Audit("/api/audit/verify");
            Assert.True(verified.GetProperty("valid").GetBoolean());
            chainedBefore = verified.GetProperty("lastChainedSequence").GetInt64();
            historyBefore = (await api.Audit($"/api/households/{household}/history")).GetRawText();
        }

        Assert.Equal("*DEFAULT*", await TestDatabases.Scalar<string>(OldConnection, "select distinct tenant_id from relief.mt_events"));

        // The move: a registry in a new main database, and the old database added as Wuzhi's, nodes running.
        await using var registry = await StartAsync(RegistryConnection, registry: true);
        using (var added = await registry.Server.CreateClient().SendAsync(Post("/api/counties", "dev-province",
            new JsonObject { ["code"] = Wuzhi, ["name"] = "武陟县", ["database"] = TestDatabases.NameOf(OldConnection) }.ToJsonString())))
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var moved = new Support.Api(registry);

        // The acknowledged write is not written twice: its record answers the retry.
        var streams = await TestDatabases.Scalar<long>(OldConnection, "select count(*) from relief.mt_streams");
        using (var retry = await Register(registry, retriedBody))
        {
            Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
            Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(firstAnswer, await retry.Content.ReadAsStringAsync());
        }

        Assert.Equal(streams, await TestDatabases.Scalar<long>(OldConnection, "select count(*) from relief.mt_streams"));

        // The chain: verified as it stood (before any read records a disclosure), then extended.
        await moved.ProjectionsCaughtUp();
        var same = await moved.Audit("/api/audit/verify");
        Assert.True(same.GetProperty("valid").GetBoolean());
        Assert.Equal(chainedBefore, same.GetProperty("lastChainedSequence").GetInt64());

        // The reports and the history read as before, from the same projections; a new write extends the chain.
        Assert.Equal(reportBefore, (await moved.WeeklyDispatch()).GetRawText());
        Assert.Equal(historyBefore, (await moved.Audit($"/api/households/{household}/history")).GetRawText());
        Assert.Equal(household, (await moved.Household(household)).GetProperty("id").GetGuid());

        await moved.RegisteredHousehold();
        await moved.ProjectionsCaughtUp();
        var extended = await moved.Audit("/api/audit/verify");
        Assert.True(extended.GetProperty("valid").GetBoolean());
        Assert.True(extended.GetProperty("lastChainedSequence").GetInt64() > chainedBefore);
        Assert.Equal(Wuzhi, await TestDatabases.Scalar<string>(OldConnection,
            "select tenant_id from relief.mt_events order by seq_id desc limit 1"));
    }

    private static async Task<HttpResponseMessage> Register(IAlbaHost host, string body)
    {
        var request = Post("/api/households", Keys.PovertyOffice, body);
        request.Headers.Add("Idempotency-Key", RetryKey);
        return await host.Server.CreateClient().SendAsync(request);
    }

    private static HttpRequestMessage Post(string url, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    /// <summary>A host on <paramref name="connection"/>: one county in it, or a registry whose default county is Wuzhi.</summary>
    private static Task<IAlbaHost> StartAsync(string connection, bool registry) =>
        SoloHost.StartAsync(connection, builder =>
        {
            if (!registry) return;
            builder.UseSetting("Relief:CountyRegistry:Enabled", "true");
            builder.UseSetting("Relief:CountyRegistry:DefaultCounty", Wuzhi);
        });
}
