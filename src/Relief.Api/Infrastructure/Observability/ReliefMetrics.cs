using System.Diagnostics.Metrics;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Infrastructure.Observability;

/// <summary>
/// Relief's own gauges, read from PostgreSQL every <see cref="Interval"/> by each node (a handful of
/// indexed counts): the event store's high-water mark, each projection's and subscription's lag
/// behind it, the overdue policy cases and the dead-lettered messages, each tagged with its
/// <c>county</c> (every county's database is read). Registered only when OTLP export is on.
/// </summary>
public sealed partial class ReliefMetrics : BackgroundService
{
    public const string MeterName = "Relief";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private const string Sql = $"""
        select 'high_water', coalesce((select max(seq_id) from {ReliefStore.Schema}.mt_events), 0), null
        union all
        select 'lag', greatest(coalesce((select max(seq_id) from {ReliefStore.Schema}.mt_events), 0) - last_seq_id, 0), name
          from {ReliefStore.Schema}.mt_event_progression where name not like 'HighWater%'
        union all
        select 'overdue', count(*), null from {ReliefStore.Schema}.mt_doc_policycasedetails where (data ->> 'overdue')::boolean
        union all
        select 'dead_letters', count(*), null from {ReliefStore.Schema}.wolverine_dead_letters
        """;

    private readonly Counties _counties;
    private readonly ILogger<ReliefMetrics> _logger;
    private volatile Snapshot _last = new([], [], [], []);

    public ReliefMetrics(Counties counties, ILogger<ReliefMetrics> logger, IMeterFactory meters)
    {
        _counties = counties;
        _logger = logger;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("relief.events.high_water", () => _last.HighWater, "{event}",
            "Sequence number of the newest event (its rate is appends per second).");
        meter.CreateObservableGauge("relief.projection.lag", () => _last.Lag, "{event}",
            "Events each async projection or subscription is behind the newest event.");
        meter.CreateObservableGauge("relief.policy_cases.overdue", () => _last.Overdue, "{case}",
            "Policy cases past their stage's service time.");
        meter.CreateObservableGauge("relief.messages.dead_lettered", () => _last.DeadLetters, "{message}",
            "Messages (webhook deliveries, deadline checks) that failed every retry.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            var snapshots = new List<Snapshot>();
            foreach (var county in _counties.All)
            {
                try
                {
                    snapshots.Add(await Read(county, stoppingToken));
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    GaugesNotRead(_logger, e, county.Code);
                }
            }

            _last = new Snapshot([.. snapshots.SelectMany(s => s.HighWater)], [.. snapshots.SelectMany(s => s.Lag)],
                [.. snapshots.SelectMany(s => s.Overdue)], [.. snapshots.SelectMany(s => s.DeadLetters)]);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Warning, Message = "Could not read Relief's gauges of county {County}; will retry")]
    private static partial void GaugesNotRead(ILogger logger, Exception exception, string county);

    private static async Task<Snapshot> Read(County county, CancellationToken token)
    {
        long highWater = 0, overdue = 0, deadLetters = 0;
        var lag = new List<Measurement<long>>();
        await using var command = county.DataSource.CreateCommand(Sql);
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token))
        {
            var value = reader.GetInt64(1);
            switch (reader.GetString(0))
            {
                case "high_water": highWater = value; break;
                case "overdue": overdue = value; break;
                case "dead_letters": deadLetters = value; break;
                default:
                    lag.Add(new Measurement<long>(value, county.Tag, new KeyValuePair<string, object?>("shard", reader.GetString(2))));
                    break;
            }
        }
        return new Snapshot([new(highWater, county.Tag)], lag, [new(overdue, county.Tag)], [new(deadLetters, county.Tag)]);
    }

    private sealed record Snapshot(
        IReadOnlyList<Measurement<long>> HighWater,
        IReadOnlyList<Measurement<long>> Lag,
        IReadOnlyList<Measurement<long>> Overdue,
        IReadOnlyList<Measurement<long>> DeadLetters);
}
