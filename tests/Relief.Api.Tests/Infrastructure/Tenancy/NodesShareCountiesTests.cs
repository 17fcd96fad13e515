using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Relief.Api.Infrastructure.Tenancy;
using Wolverine;
using Wolverine.Runtime.Agents;
using Wolverine.Tracking;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// Two nodes on one county registry share the counties' async projections (Wolverine's managed
/// distribution in Balanced mode): each county's agents run on one node, whole (database affinity),
/// both nodes run some counties, and when a node stops the other takes its counties over. A county
/// added while the nodes run gets its agents without a restart. The hosts run on the real clock
/// (Wolverine's node health checks) with short periods, and the test waits on the nodes' running
/// agents through Wolverine's assignment tracking (<c>WaitUntilAssignmentsChangeTo</c>), with a deadline. A crash (SIGKILL) instead of a stop is eng/province's.
/// </summary>
public sealed class NodesShareCountiesTests : IAsyncLifetime
{
    /// <summary>Four counties to start with (codes no other test uses), and one added while the nodes run.</summary>
    private static readonly string[] Codes = ["419101", "419102", "419103", "419104"];

    private const string Later = "419105";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly List<IAlbaHost> _hosts = [];

    private static string MainConnection => TestDatabases.Named("nodes_main");

    private static string ConnectionOf(string county) => TestDatabases.Named("nodes_" + county);

    private static string DatabaseNameOf(string county) => TestDatabases.NameOf(ConnectionOf(county));

    public async Task InitializeAsync()
    {
        foreach (var connection in Codes.Append(Later).Select(ConnectionOf).Prepend(MainConnection)) await TestDatabases.Recreate(connection);
        try
        {
            var first = await StartNode();
            foreach (var code in Codes) await AddCounty(first, code);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.ToList()) await StopNode(host);
    }

    [Fact]
    public async Task The_counties_are_spread_over_both_nodes_a_stopped_nodes_counties_move_to_the_other_and_a_new_county_gets_its_agents()
    {
        var a = _hosts[0];
        var b = await StartNode();

        // Every async projection and subscription of a county database is an agent: the same set in each.
        var family = a.Services.GetServices<IAgentFamily>().OfType<EventSubscriptionAgentFamily>().Single();
        var agentsPerCounty = (await family.AllKnownAgentsAsync()).GroupBy(DatabaseOf).Max(g => g.Count());

        // Wolverine spreads whole counties (database affinity), evenly: two each.
        await UntilAgents(a, (a, 2 * agentsPerCounty), (b, 2 * agentsPerCounty));
        var (onA, onB) = (CountiesRunningOn(a), CountiesRunningOn(b));
        Assert.True(onA.Count == 2 && onB.Count == 2 && !onA.Overlaps(onB) && onA.Union(onB).ToHashSet().SetEquals(Codes),
            $"Not whole counties: node a runs {Describe(a)}; node b runs {Describe(b)}.");

        await StopNode(b);
        await UntilAgents(a, (a, Codes.Length * agentsPerCounty));
        Assert.True(CountiesRunningOn(a).SetEquals(Codes), $"Node b's counties ({string.Join(", ", onB)}) did not move to node a: it runs {Describe(a)}.");

        // No restart: the leader finds the county in the registry and starts its agents.
        await AddCounty(a, Later);
        await UntilAgents(a, (a, (Codes.Length + 1) * agentsPerCounty));
        Assert.Contains(Later, CountiesRunningOn(a));
    }

    /// <summary>
    /// Waits, with Wolverine's own assignment tracking, until each node runs this many projection
    /// agents; on timeout it fails with what the nodes' records and runtimes say they run.
    /// </summary>
    private static async Task UntilAgents(IHost leader, params (IHost Node, int Agents)[] expected) =>
        Assert.True(await leader.WaitUntilAssignmentsChangeTo(waiter =>
        {
            waiter.AgentScheme = EventSubscriptionAgentFamily.SchemeName;
            foreach (var (node, agents) in expected) waiter.ExpectRunningAgents(node, agents);
        }, Patience));

    /// <summary>Adds a county through the registry, as <c>POST /api/counties</c> does (its schema applied to its database alone).</summary>
    private static Task<RegisteredCounty> AddCounty(IAlbaHost node, string code) =>
        node.Services.GetRequiredService<CountyRegistry>()
            .AddAsync(code, "county " + code, ConnectionOf(code), [], DateTimeOffset.UtcNow, CancellationToken.None);

    /// <summary>A node of the registry in Development, Wolverine Balanced, node health checked every 250 ms.</summary>
    private async Task<IAlbaHost> StartNode()
    {
        var host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Marten", MainConnection);
            builder.UseSetting("Relief:CountyRegistry:Enabled", "true");
            AppFixture.UseTestHostSettings(builder, receivers: null);
            builder.ConfigureServices(services =>
            {
                services.ConfigureWolverine(opts =>
                {
                    opts.Durability.Mode = DurabilityMode.Balanced;
                    opts.Durability.FirstHealthCheckExecution = TimeSpan.FromMilliseconds(100);
                    opts.Durability.HealthCheckPollingTime = TimeSpan.FromMilliseconds(250);
                    opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(1);
                });
            });
        });
        _hosts.Add(host);
        return host;
    }

    private async Task StopNode(IAlbaHost host)
    {
        if (!_hosts.Remove(host)) return;
        host.GetRuntime().Agents.DisableHealthChecks();
        await host.StopAsync();
        await host.DisposeAsync();
    }

    /// <summary>The event subscription (projection) agents a node runs.</summary>
    private static List<Uri> Agents(IHost host) =>
        host.RunningAgents().Where(u => u.Scheme == EventSubscriptionAgentFamily.SchemeName).ToList();

    /// <summary>The database segment of an agent: <c>event-subscriptions://marten/main/{server}.{database}/{shard}</c>.</summary>
    private static string DatabaseOf(Uri agent) => agent.Segments[2].Trim('/');

    private static HashSet<string> CountiesRunningOn(IHost host)
    {
        var databases = Agents(host).Select(DatabaseOf).ToHashSet();
        return Codes.Append(Later).Where(code => databases.Any(d => d.EndsWith("." + DatabaseNameOf(code), StringComparison.Ordinal))).ToHashSet();
    }

    private static string Describe(IHost host) =>
        $"{Agents(host).Count} agents of counties [{string.Join(", ", CountiesRunningOn(host).Order())}]";
}
