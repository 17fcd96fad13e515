using Wolverine;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>
/// How the running nodes share the async projections and the webhook fan-out subscription:
/// Wolverine's managed distribution (<see cref="ReliefStore.WolverineIntegration"/>), in Wolverine's
/// <c>Balanced</c> mode (its default, which Relief keeps in production; the tests run <c>Solo</c>).
/// Each county database's agents run together on one node (Wolverine's database affinity), and the
/// counties are spread over the nodes. Every node writes a heartbeat to the main database every
/// <see cref="HealthCheckPolling"/>; the leader (the node holding Wolverine's advisory lock there)
/// then reassigns the agents: a node whose heartbeat is older than <see cref="StaleNode"/> is dead,
/// and its counties go to the others at the leader's next check, so a dead node's counties run again
/// within <see cref="FailoverWithin"/> plus the time their agents take to start (if the dead node
/// led, another takes the lock at its next heartbeat, as soon as PostgreSQL has closed the dead
/// node's session). A county added to the registry while the nodes run is found by the leader's
/// next check (every heartbeat); each node also makes sure every <see cref="AssignmentCheck"/> that
/// the agents it was given run. Wolverine's defaults are 10 s, 1 minute and 30 s: a dead node's
/// counties would wait over a minute.
/// </summary>
public static class NodeSharing
{
    /// <summary>How often a node writes its heartbeat and the leader looks at the nodes and agents.</summary>
    public static readonly TimeSpan HealthCheckPolling = TimeSpan.FromSeconds(5);

    /// <summary>A node silent this long is dead; a busy node (a rebuild, a long GC) must heartbeat within it.</summary>
    public static readonly TimeSpan StaleNode = TimeSpan.FromSeconds(20);

    /// <summary>How often a node checks that the agents assigned to it really run (and restarts them).</summary>
    public static readonly TimeSpan AssignmentCheck = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The bound on a dead node's counties being assigned to the others: it goes stale, then up to
    /// two heartbeats (the leader's, and a new leader's lock when the dead node led).
    /// </summary>
    public static TimeSpan FailoverWithin => StaleNode + 2 * HealthCheckPolling;

    /// <summary>
    /// <c>Relief:NodeSharing:Enabled</c> (default true). Off, Marten's own daemon runs every projection
    /// on this node (<c>DaemonMode.Solo</c>): the shared test hosts, whose tests also build daemons of
    /// their own to catch up, which Wolverine's agents would see as a second processor of the same
    /// shard ("progression out of order") and stop for good.
    /// </summary>
    public static bool IsOn(IConfiguration configuration) => configuration.GetValue("Relief:NodeSharing:Enabled", true);

    public static void UseReliefNodeSharing(this WolverineOptions opts)
    {
        opts.Durability.HealthCheckPollingTime = HealthCheckPolling;
        opts.Durability.StaleNodeTimeout = StaleNode;
        opts.Durability.CheckAssignmentPeriod = AssignmentCheck;
    }
}
