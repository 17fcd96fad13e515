using System.Diagnostics;
using Marten;
using Microsoft.Extensions.Time.Testing;
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
        // A channel of its own on a clock of its own: the spacing passes when the test says so.
        var clock = new FakeTimeProvider();
        using var channel = ActivatorUtilities.CreateInstance<DaemonWakeupChannel>(Host.Services, new DaemonWakeup(), clock);
        var prefix = $"postgresql://127.0.0.1:5432/spacing_{Guid.NewGuid():N}_";
        await using var listener = new NpgsqlConnection(AppFixture.ConnectionString);
        var notifications = new List<string[]>();
        listener.Notification += (_, e) =>
        {
            var ours = e.Payload.Split('\n').Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
            if (ours.Length > 0) notifications.Add(ours);
        };
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand($"listen {DaemonWakeupChannel.Channel}", listener)) await listen.ExecuteNonQueryAsync();
        await channel.StartAsync(CancellationToken.None);
        try
        {
            // The first wake-up after a quiet spell goes at once, with no time passing.
            channel.Publish(prefix + 0);
            await Heard(listener, () => notifications.Count == 1, advance: null);

            // The next ones wait for the spacing, then go together in one notification. A round trip
            // of our own after each gives a sender without the spacing the time to send it alone.
            await using var other = new NpgsqlConnection(AppFixture.ConnectionString);
            await other.OpenAsync();
            for (var i = 1; i < 20; i++)
            {
                channel.Publish(prefix + i);
                await using var roundTrip = new NpgsqlCommand("select 1", other);
                await roundTrip.ExecuteScalarAsync();
            }

            await Heard(listener, () => notifications.Sum(n => n.Length) == 20, advance: clock);

            Assert.Equal([prefix + 0], notifications[0]);
            Assert.Equal(2, notifications.Count);
            Assert.Equal(19, notifications[1].Distinct().Count());
        }
        finally
        {
            await channel.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Reads notifications until <paramref name="done"/>, within the patience. With a clock, each read
    /// that ends without one moves the clock on by the spacing (the sender may not have started its
    /// wait yet when the clock first moves).
    /// </summary>
    private static async Task Heard(NpgsqlConnection listener, Func<bool> done, FakeTimeProvider? advance)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!done() && !patience.IsCancellationRequested)
        {
            advance?.Advance(DaemonWakeupChannel.PublishSpacing);
            using var read = CancellationTokenSource.CreateLinkedTokenSource(patience.Token);
            if (advance is not null) read.CancelAfter(TimeSpan.FromMilliseconds(200));
            try
            {
                await listener.WaitAsync(read.Token);
            }
            catch (OperationCanceledException)
            {
                // no notification within this read: move the clock again, or give up with the patience
            }
        }

        Assert.True(done(), "the notifications expected did not come within the patience");
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
