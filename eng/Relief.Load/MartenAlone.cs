using System.Diagnostics;
using System.Globalization;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace Relief.Load;

/// <summary>
/// The ceiling of the stack itself: Marten alone, in this process, appending the same event as
/// pgbench's script to one of 10,000 streams (each client on its own) per transaction, at the given client counts. No HTTP,
/// no authentication, no idempotency record, no projection, no version check: the least any write
/// through Marten can cost on this machine. eng/bench prints it next to pgbench and the API, so that
/// the ratio's gap can be split between the stack and Relief's own work.
/// </summary>
public sealed class MartenAlone(Options options)
{
    private const int Streams = 10_000;
    private readonly int _seconds = options.Get("seconds", 15);
    private readonly int _warmup = options.Get("warmup", 3);
    private readonly int[] _clients = options.Get("clients", "16").Split(',').Select(int.Parse).ToArray();

    /// <summary>Appends per transaction, each to another stream: 1 is pgbench's shape; more is group commit.</summary>
    private readonly int _group = options.Get("group", 1);

    /// <summary>The event: the household facts of pgbench's ~400-byte payload.</summary>
    public sealed record HouseholdDetailsChanged(Guid HouseholdId, string Village, string HeadName, string Address,
        string PovertyCause, DateTimeOffset ChangedAt);

    public sealed class Household;

    public async Task<int> Run()
    {
        var connection = new NpgsqlConnectionStringBuilder(options.Get("db", "")) { NoResetOnClose = true, MaxAutoPrepare = 64 };
        await using var store = DocumentStore.For(opts =>
        {
            opts.Connection(connection.ConnectionString);
            opts.DatabaseSchemaName = "bench_marten";
            opts.AutoCreateSchemaObjects = AutoCreate.All;
            opts.Events.StreamIdentity = StreamIdentity.AsGuid;
            opts.Events.AppendMode = EventAppendMode.Quick;
            opts.Events.AddEventType<HouseholdDetailsChanged>();
        });

        var streams = Enumerable.Range(0, Streams).Select(_ => Guid.CreateVersion7()).ToArray();
        for (var i = 0; i < Streams; i += 1_000)
        {
            await using var seed = store.LightweightSession();
            foreach (var id in streams.Skip(i).Take(1_000)) seed.Events.StartStream<Household>(id, Change(id, 0));
            await seed.SaveChangesAsync();
        }

        foreach (var clients in _clients)
        {
            var appended = 0L;
            var measuring = false;
            using var stop = new CancellationTokenSource();
            // Each client on streams of its own, as in the API's runs: no two clients append to one stream.
            var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                var own = streams.Where((_, i) => i % clients == c).ToArray();
                var n = 0L;
                while (!stop.IsCancellationRequested)
                {
                    var ids = Random.Shared.GetItems(own, _group).Distinct().ToArray();
                    await using var session = store.LightweightSession();
                    foreach (var id in ids) session.Events.Append(id, Change(id, ++n));
                    await session.SaveChangesAsync();
                    if (Volatile.Read(ref measuring)) Interlocked.Add(ref appended, ids.Length);
                }
            })).ToList();

            await Task.Delay(TimeSpan.FromSeconds(_warmup));
            Volatile.Write(ref measuring, true);
            var measured = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(_seconds));
            Volatile.Write(ref measuring, false);
            var seconds = measured.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clients}={Interlocked.Read(ref appended) / seconds:0.0}"));
        }

        return 0;
    }

    private static HouseholdDetailsChanged Change(Guid id, long n) =>
        new(id, "东关村", "张三", $"东关村一组 {n % 200 + 1} 号", "Illness", DateTimeOffset.UtcNow);
}
