using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// The daemon sleeps on idle databases and Relief's appends wake it (<see cref="DaemonWakeup"/>):
/// how a wait is placed and ended, and that a write wakes its database here and on the other nodes.
/// </summary>
public sealed class DaemonWakeupTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>Far longer than any wait these tests expect to end: a wait still running then did not end.</summary>
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly ActivitySource Marten = new("Marten");

    private DaemonWakeup Wakeup => Host.Services.GetRequiredService<DaemonWakeup>();

    /// <summary>A wait of the high-water agent polling <paramref name="database"/>, inside its span as Marten makes it.</summary>
    private static Task PollWait(DaemonWakeup wakeup, string database, TimeSpan timeout)
    {
        using var poll = Marten.StartActivity(DaemonWakeup.PollSpan);
        Assert.NotNull(poll); // the wake-up samples the poll span
        poll.AddTag(DaemonWakeup.DatabaseTag, new Uri(database));
        return wakeup.WaitAsync(timeout, CancellationToken.None);
    }

    /// <summary>Whether the wait ends within the patience (a bound on the signal itself, no timer of its own).</summary>
    private static async Task<bool> EndsWithin(Task wait, TimeSpan patience)
    {
        try
        {
            await wait.WaitAsync(patience);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_quiet_database_s_poll_waits_until_that_database_is_woken()
    {
        using var wakeup = new DaemonWakeup();
        var waiting = PollWait(wakeup, "postgresql://127.0.0.1:5432/county_a", Long);

        // Another database's wake leaves this one's signal alone (Wake is synchronous: no waiting for
        // something not to happen).
        wakeup.Wake("postgresql://127.0.0.1:5432/county_b");
        Assert.Equal(0, wakeup.Wakes("postgresql://127.0.0.1:5432/county_a"));
        Assert.False(waiting.IsCompleted);

        wakeup.Wake("postgresql://127.0.0.1:5432/county_a");
        Assert.True(await EndsWithin(waiting, Patience));
    }

    [Fact]
    public async Task A_database_woken_lately_is_looked_at_again_soon_without_a_new_wake()
    {
        using var wakeup = new DaemonWakeup();
        wakeup.Wake("postgresql://127.0.0.1:5432/county_a");
        await PollWait(wakeup, "postgresql://127.0.0.1:5432/county_a", Long); // the wake itself

        // Within the active window a quiet poll waits the short interval, not the idle one: an append
        // committed in the request's own transaction, after the wake, is seen right after.
        Assert.True(await EndsWithin(PollWait(wakeup, "postgresql://127.0.0.1:5432/county_a", Long), Patience));
    }

    [Fact]
    public async Task The_short_wait_after_new_events_is_kept_whole_and_the_wake_kept_for_the_next_quiet_wait()
    {
        using var wakeup = new DaemonWakeup();
        wakeup.Wake("postgresql://127.0.0.1:5432/county_a");

        // Marten's wait after it found new events (FastPollingTime): a wake does not end it, or the
        // daemon would read one event per write.
        var flowing = PollWait(wakeup, "postgresql://127.0.0.1:5432/county_a", DaemonWakeup.ActivePolling);
        Assert.False(flowing.IsCompleted);
        await flowing;

        // The wake is still pending: the next quiet wait ends at once.
        Assert.True(await EndsWithin(PollWait(wakeup, "postgresql://127.0.0.1:5432/county_a", Long), Patience));
    }

    [Fact]
    public async Task Wake_ups_for_the_other_nodes_are_sent_once_per_spacing_at_most()
    {
        var channel = Host.Services.GetRequiredService<DaemonWakeupChannel>();
        var prefix = $"postgresql://127.0.0.1:5432/spacing_{Guid.NewGuid():N}_";
        await using var listener = new NpgsqlConnection(AppFixture.ConnectionString);
        var notifications = 0;
        var heard = new HashSet<string>();
        listener.Notification += (_, e) =>
        {
            var ours = e.Payload.Split('\n').Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (ours.Count == 0) return;
            notifications++;
            heard.UnionWith(ours);
        };
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand($"listen {DaemonWakeupChannel.Channel}", listener)) await listen.ExecuteNonQueryAsync();

        // The wake-ups are paced on purpose (this is the input, not a wait for an outcome): published
        // at once they would coalesce even without the spacing, since the sender drains every pending
        // key per notification.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            channel.Publish(prefix + i);
            await Task.Delay(10);
        }

        var elapsed = clock.Elapsed;
        using var patience = new CancellationTokenSource(Patience);
        while (heard.Count < 20 && !patience.IsCancellationRequested)
        {
            try
            {
                await listener.WaitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.Equal(20, heard.Count); // every database named, none lost
        Assert.True(notifications <= elapsed / DaemonWakeupChannel.PublishSpacing + 2,
            $"{notifications} notifications for 20 wake-ups published over {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_wait_it_cannot_place_polls_as_often_as_before()
    {
        using var wakeup = new DaemonWakeup();

        Assert.True(await EndsWithin(wakeup.WaitAsync(Long, CancellationToken.None), Patience));
    }

    [Fact]
    public async Task The_daemon_of_the_database_waits_here_placed_by_its_poll_span()
    {
        // Tests catch projections up explicitly; a running daemon is started here as a node starts one.
        using var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        try
        {
            var key = Wakeup.KeyOf(Store.Storage.Database);

            Assert.True(await EndsWithin(Wakeup.Watching(key), Patience), $"no high-water wait placed for {key}");
        }
        finally
        {
            await daemon.StopAllAsync();
        }
    }

    [Fact]
    public async Task A_write_wakes_its_database_here_and_tells_the_other_nodes()
    {
        var key = Wakeup.KeyOf(Store.Storage.Database);
        await using var listener = new NpgsqlConnection(AppFixture.ConnectionString);
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, e) =>
        {
            if (e.Payload.Split('\n').Contains(key)) heard.TrySetResult(e.Payload);
        };
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand($"listen {DaemonWakeupChannel.Channel}", listener)) await listen.ExecuteNonQueryAsync();
        var before = Wakeup.Wakes(key);

        await Api.RegisteredHousehold();

        Assert.True(Wakeup.Wakes(key) > before, "the write did not wake the daemon of its database");
        using var patience = new CancellationTokenSource(Patience);
        while (!heard.Task.IsCompleted && !patience.IsCancellationRequested)
        {
            try
            {
                await listener.WaitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.True(heard.Task.IsCompleted, "the other nodes were not told");
    }

    [Fact]
    public async Task Another_node_s_wake_up_wakes_the_daemon_here()
    {
        var key = $"postgresql://127.0.0.1:5432/elsewhere_{Guid.NewGuid():N}";
        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var notify = dataSource.CreateCommand("select pg_notify($1, $2)");
        notify.Parameters.Add(new NpgsqlParameter { Value = DaemonWakeupChannel.Channel });
        notify.Parameters.Add(new NpgsqlParameter { Value = "postgresql://127.0.0.1:5432/other\n" + key });

        var woken = Wakeup.NextWake(key);

        await notify.ExecuteNonQueryAsync();

        Assert.True(await EndsWithin(woken, Patience), "the notification did not wake the database it names");
    }

    [Fact]
    public void Wolverine_polls_a_database_for_orphaned_messages_and_counts_once_a_minute()
    {
        // Scheduled messages are polled every 15 s in service; the test hosts poll every 100 ms (AppFixture).
        var durability = Host.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>().Options.Durability;

        Assert.Equal(TimeSpan.FromMinutes(1), durability.OrphanedMessageSweepPollingTime);
        Assert.Equal(TimeSpan.FromMinutes(1), durability.UpdateMetricsPeriod);
        Assert.Equal(TimeSpan.FromSeconds(15), DaemonWakeupSetup.ScheduledMessagePolling);
    }
}
