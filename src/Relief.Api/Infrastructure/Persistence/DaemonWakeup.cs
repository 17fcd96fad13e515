using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using JasperFx.Events.Daemon.HighWater;
using Marten;
using Marten.Services;
using Marten.Storage;
using Npgsql;
using Wolverine;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>
/// Wakes the async daemon of a database when Relief appends events to it, so that an idle county
/// costs almost nothing. Marten's high-water agent looks for new events in each database on its own
/// cadence: every <see cref="ActivePolling"/> when quiet, that is four statements four times a second
/// per county for a county nobody uses (docs/capacity.md, idle cost). With this wake-up a database
/// that has seen no append for <see cref="ActiveWindow"/> is looked at only every
/// <see cref="IdlePolling"/> (Marten's <c>SlowPollingTime</c>), and at once when a write commits
/// events to it: on this node directly, on the other nodes through PostgreSQL's NOTIFY on the main
/// database (<see cref="DaemonWakeupChannel"/>, one listening connection per node whatever the number
/// of counties; at most one notification per <see cref="DaemonWakeupChannel.PublishSpacing"/>). A wake
/// ends a quiet wait only: while writes flow, Marten's own short wait after new events
/// (<c>FastPollingTime</c>) is kept whole, so the daemon reads the writes of that wait as one page
/// instead of a round of statements per write. For <see cref="ActiveWindow"/> after a wake the database is looked at as before
/// (every <see cref="ActivePolling"/> when quiet): a write committed in the request's own transaction
/// (idempotency keys) is seen right after that transaction commits, and a gap left by a rolled-back
/// append is skipped after Marten's stale threshold as before.
/// </summary>
/// <remarks>
/// Marten hands one <see cref="IDaemonWakeup"/> to the high-water agent of every database, without
/// saying which database waits. The agent waits inside its polling span
/// (<c>marten.daemon.highwatermark</c>, tagged <c>database.uri</c>), so this wake-up samples that
/// span (no export unless OpenTelemetry asks for it too) and reads the database from it. A wait it
/// cannot place (no span) waits <see cref="ActivePolling"/> at most: the daemon then polls as it did
/// before this wake-up, never slower.
/// </remarks>
public sealed class DaemonWakeup : IDaemonWakeup
{
    /// <summary>How often an idle database is looked at when no write wakes it (Marten's <c>SlowPollingTime</c>).</summary>
    public static readonly TimeSpan IdlePolling = TimeSpan.FromSeconds(30);

    /// <summary>How often a database is looked at while it is active and has nothing new (Relief's quiet polling before).</summary>
    public static readonly TimeSpan ActivePolling = TimeSpan.FromMilliseconds(250);

    /// <summary>How long after its last wake a database counts as active.</summary>
    public static readonly TimeSpan ActiveWindow = TimeSpan.FromSeconds(10);

    /// <summary>Marten's span around each high-water poll, and its tag naming the database.</summary>
    public const string PollSpan = "marten.daemon.highwatermark";
    public const string DatabaseTag = "database.uri";

    private readonly ConcurrentDictionary<string, Watched> _databases = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<IMartenDatabase, string> _keys = new();
    private readonly ActivityListener _listener;

    public DaemonWakeup()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Marten",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name == PollSpan ? ActivitySamplingResult.PropagationData : ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The key of a database: the URI Marten's high-water agent tags its polls with.</summary>
    public string KeyOf(IMartenDatabase database) =>
        _keys.GetValue(database, d => d.Describe().DatabaseUri().ToString());

    /// <summary>Ends once the high-water agent of this database has waited here, placed by its span.</summary>
    public Task Watching(string key) => _databases.GetOrAdd(key, _ => new Watched()).Placed.Task;

    /// <summary>Ends at this database's next wake (here or by another node).</summary>
    public Task NextWake(string key) => _databases.GetOrAdd(key, _ => new Watched()).NextWake;

    /// <summary>How often this database was woken since start (here or by another node).</summary>
    public long Wakes(string key) => _databases.TryGetValue(key, out var watched) ? watched.Wakes : 0;

    /// <summary>Events were committed to this database: its agent looks now, and often for a while.</summary>
    public void Wake(string key) => _databases.GetOrAdd(key, _ => new Watched()).Wake();

    /// <summary>Every known database looks now (after notifications may have been missed).</summary>
    public void WakeAll()
    {
        foreach (var watched in _databases.Values) watched.Wake();
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken token)
    {
        if (Activity.Current is { OperationName: PollSpan } poll && poll.GetTagItem(DatabaseTag) is { } uri)
        {
            var watched = _databases.GetOrAdd(uri.ToString()!, _ => new Watched());
            watched.Placed.TrySetResult();
            // Marten asks for a short wait (its FastPollingTime) only right after it found new events:
            // they are flowing and it looks again that soon. A wake then would make the daemon read,
            // project and record its progress one event at a time, a round of statements per write;
            // the wait is kept whole and the writes of that wait are read as one page.
            if (timeout <= ActivePolling)
            {
                await Task.Delay(timeout, token);
                return;
            }

            var wait = watched.IsActive ? Shorter(timeout, ActivePolling) : timeout;
            await watched.Signal.WaitAsync(wait, token);
            return;
        }

        await Task.Delay(Shorter(timeout, ActivePolling), token);
    }

    private static TimeSpan Shorter(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public void Dispose() => _listener.Dispose();

    private sealed class Watched
    {
        private long _wokenAt = long.MinValue;
        private long _wakes;

        public long Wakes => Interlocked.Read(ref _wakes);

        /// <summary>Sticky: a wake while the agent polls ends its next wait at once.</summary>
        public SemaphoreSlim Signal { get; } = new(0, 1);

        public TaskCompletionSource Placed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private TaskCompletionSource _nextWake = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task NextWake => Volatile.Read(ref _nextWake).Task;

        public bool IsActive
        {
            get
            {
                var woken = Interlocked.Read(ref _wokenAt);
                return woken != long.MinValue && Stopwatch.GetElapsedTime(woken) < ActiveWindow;
            }
        }

        public void Wake()
        {
            Interlocked.Exchange(ref _wokenAt, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _wakes);
            Interlocked.Exchange(ref _nextWake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            if (Signal.CurrentCount > 0) return;
            try
            {
                Signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // another wake got there first: the signal is set
            }
        }
    }
}

/// <summary>After a commit that appended events: wake the database's daemon here and on the other nodes.</summary>
internal sealed class EventAppendWakeup(DaemonWakeup wakeup, DaemonWakeupChannel channel) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetStreams().Any())
        {
            var key = wakeup.KeyOf(session.Database);
            wakeup.Wake(key);
            channel.Publish(key);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Carries wake-ups between nodes on the main database (<c>ConnectionStrings:Marten</c>): one
/// connection per node LISTENs on <see cref="Channel"/>; appends are published with NOTIFY, several
/// databases in one notification when writes come faster than a round trip. A lost notification
/// costs lag, never an event: the daemon still looks every <see cref="DaemonWakeup.IdlePolling"/>,
/// and every database is woken after the listening connection is (re)opened. <paramref name="spacing"/>
/// times <see cref="PublishSpacing"/>: the machine's clock in the service, never the business clock.
/// </summary>
public sealed partial class DaemonWakeupChannel(
    DaemonWakeup wakeup, NpgsqlDataSource main, IConfiguration configuration, ILogger<DaemonWakeupChannel> logger,
    TimeProvider spacing) : BackgroundService
{
    public const string Channel = "relief_daemon_wakeup";

    /// <summary>PostgreSQL refuses a payload of 8,000 bytes or more.</summary>
    private const int MaxPayload = 7_000;

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The least time between two notifications of this node (each is a transaction of its own, with
    /// its commit record flushed to disk, and every listening node is signalled): the first write after
    /// a quiet spell is published at once, the next ones of the same 100 ms together.
    /// </summary>
    public static readonly TimeSpan PublishSpacing = TimeSpan.FromMilliseconds(100);

    private readonly System.Threading.Channels.Channel<string> _outgoing =
        System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });

    /// <summary>Tells the other nodes that this database has new events (never waits, never throws).</summary>
    public void Publish(string key) => _outgoing.Writer.TryWrite(key);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken token)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(ReliefStore.ConnectionString(configuration))
        {
            Pooling = false,
            KeepAlive = 30,
        }.ConnectionString;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) =>
                {
                    foreach (var key in e.Payload.Split('\n', StringSplitOptions.RemoveEmptyEntries)) wakeup.Wake(key);
                };
                await connection.OpenAsync(token);
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(token);
                }

                wakeup.WakeAll();
                while (!token.IsCancellationRequested) await connection.WaitAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
            {
                NotListening(logger, e, DaemonWakeup.IdlePolling);
                try
                {
                    await Task.Delay(Retry, token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task SendAsync(CancellationToken token)
    {
        var reader = _outgoing.Reader;
        var pending = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await reader.WaitToReadAsync(token))
            {
                while (reader.TryRead(out var key)) pending.Add(key);
                foreach (var payload in Payloads(pending))
                {
                    try
                    {
                        await using var notify = main.CreateCommand("select pg_notify($1, $2)");
                        notify.Parameters.Add(new NpgsqlParameter { Value = Channel });
                        notify.Parameters.Add(new NpgsqlParameter { Value = payload });
                        await notify.ExecuteNonQueryAsync(token);
                    }
                    catch (NpgsqlException e)
                    {
                        NotPublished(logger, e, DaemonWakeup.IdlePolling);
                    }
                }

                pending.Clear();
                // One notification per PublishSpacing at most, for all the databases written meanwhile:
                // while writes flow, the other nodes' daemons look every FastPollingTime anyway.
                await Task.Delay(PublishSpacing, spacing, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Warning, Message = "Listening for daemon wake-ups failed; the daemon polls every {IdlePolling} until it listens again")]
    private static partial void NotListening(ILogger logger, Exception exception, TimeSpan idlePolling);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Could not tell the other nodes of new events; their daemons find them within {IdlePolling}")]
    private static partial void NotPublished(ILogger logger, Exception exception, TimeSpan idlePolling);

    private static IEnumerable<string> Payloads(IEnumerable<string> keys)
    {
        var payload = new System.Text.StringBuilder();
        foreach (var key in keys)
        {
            if (payload.Length > 0 && payload.Length + key.Length + 1 > MaxPayload)
            {
                yield return payload.ToString();
                payload.Clear();
            }

            if (payload.Length > 0) payload.Append('\n');
            payload.Append(key);
        }

        if (payload.Length > 0) yield return payload.ToString();
    }
}

public static class DaemonWakeupSetup
{
    /// <summary>
    /// Wolverine's durability agent polls every database that holds messages, a county's too: for
    /// scheduled messages and recovery every 5 s, for orphaned messages every 5 s and for its envelope
    /// counts every 5 s by default, about 2 transactions/s per idle county (docs/capacity.md). Relief
    /// polls for scheduled messages (webhook retries, deadline and review checks) every 15 s, and for
    /// orphaned messages and counts every minute: a retry or a check runs up to 15 s after it falls due,
    /// and the messages of a node that died are taken over within a minute.
    /// </summary>
    public static readonly TimeSpan ScheduledMessagePolling = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan HousekeepingPolling = TimeSpan.FromMinutes(1);

    public static void UseReliefDurabilityPolling(this WolverineOptions opts)
    {
        opts.Durability.ScheduledJobPollingTime = ScheduledMessagePolling;
        opts.Durability.OrphanedMessageSweepPollingTime = HousekeepingPolling;
        opts.Durability.UpdateMetricsPeriod = HousekeepingPolling;
    }

    /// <summary>The daemon sleeps on idle databases and is woken by Relief's own appends (<see cref="DaemonWakeup"/>).</summary>
    public static IServiceCollection AddReliefDaemonWakeup(this IServiceCollection services)
    {
        services.AddSingleton<DaemonWakeup>();
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<DaemonWakeupChannel>(provider, TimeProvider.System));
        services.AddHostedService(provider => provider.GetRequiredService<DaemonWakeupChannel>());
        services.ConfigureMarten((IServiceProvider provider, StoreOptions opts) =>
        {
            var wakeup = provider.GetRequiredService<DaemonWakeup>();
            opts.Projections.Wakeup = wakeup;
            opts.Listeners.Add(new EventAppendWakeup(wakeup, provider.GetRequiredService<DaemonWakeupChannel>()));
        });
        return services;
    }
}
