using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Relief.Load;

/// <summary>
/// eng/scale's generator: fills the event store up to a number of events, fast. One household is
/// registered and changed through the API, so that its events are exactly what the service writes;
/// then its stream is cloned in SQL under new stream ids (a registration, a member, then changes of
/// the household's facts), in chunks with a progress line. The views are not written: a projection
/// rebuild makes them, and that is what eng/scale times.
/// </summary>
public sealed class Generate(Options options) : IDisposable
{
    private readonly ReliefClient _client = new(options.Get("url", "http://127.0.0.1:5096"), options.Get("key", "dev-poverty-office"));
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(options.Get("db", ""));
    private readonly long _target = long.Parse(options.Get("events", "1000000"), CultureInfo.InvariantCulture);
    private readonly int _perHousehold = options.Get("per-household", 10);

    public void Dispose()
    {
        _client.Dispose();
        _db.Dispose();
    }

    public async Task<int> Run()
    {
        if (await _client.WaitReady(TimeSpan.FromSeconds(60)) is null)
        {
            Console.Error.WriteLine("generate: the service did not become ready within 60 s");
            return 1;
        }

        var template = await Template();
        var existing = await Count();
        var households = (_target - existing) / _perHousehold;
        Console.WriteLine($"generate: {existing} events in the store; adding {households} households of {_perHousehold} events");

        var started = Stopwatch.StartNew();
        const int chunk = 10_000;
        for (long done = 0; done < households; done += chunk)
        {
            var size = (int)Math.Min(chunk, households - done);
            await Clone(template, size, _perHousehold);
            var events = (done + size) * _perHousehold;
            Console.Write(string.Create(CultureInfo.InvariantCulture,
                $"\rgenerate: {Bar((double)(done + size) / households)} {events,9} events, {events / started.Elapsed.TotalSeconds,7:0} events/s"));
        }

        Console.WriteLine();
        Console.WriteLine($"generate: the store holds {await Count()} events");
        return 0;
    }

    public static string Bar(double fraction)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 30);
        return "[" + new string('#', filled) + new string('.', 30 - filled) + "]";
    }

    private async Task<long> Count()
    {
        await using var command = _db.CreateCommand("select count(*) from relief.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A household registered with one member (no personal identifiers) and changed once, through the API.</summary>
    private async Task<Guid> Template()
    {
        var household = new JsonObject
        {
            ["township"] = "mucheng", ["village"] = "东关村", ["headName"] = "张三", ["address"] = "东关村一组 8 号",
            ["povertyCause"] = "Illness",
            ["members"] = new JsonArray(new JsonObject
            {
                ["name"] = "张三", ["relation"] = "Head", ["birthDate"] = "1950-03-15", ["gender"] = "Male",
                ["disabilityType"] = "Physical", ["disabilityGrade"] = 1, ["dependencyLevel"] = "Full",
            }),
        };
        var created = await _client.Write(HttpMethod.Post, "/api/households", household.ToJsonString(), Guid.NewGuid().ToString());
        if (!created.Ok) throw new InvalidOperationException($"the template household was refused: {created.Status} {created.Body}");
        var id = created.Json!["id"]!.GetValue<Guid>();
        var changed = await _client.Write(HttpMethod.Put, $"/api/households/{id}", Bodies.DetailsChange(2, 1), Guid.NewGuid().ToString());
        if (!changed.Ok) throw new InvalidOperationException($"the template change was refused: {changed.Status} {changed.Body}");
        return id;
    }

    private async Task Clone(Guid template, int households, int perHousehold)
    {
        await using var connection = await _db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("create temp table generated_ids on commit drop as select gen_random_uuid() as id from generate_series(1, $1)")
                {
                    Parameters = { new NpgsqlParameter { Value = households } },
                },
                new NpgsqlBatchCommand("""
                    insert into relief.mt_streams (id, type, version, timestamp, created, tenant_id, is_archived)
                    select id, 'household', $1, now(), now(), '*DEFAULT*', false from generated_ids
                    """)
                {
                    Parameters = { new NpgsqlParameter { Value = (long)perHousehold } },
                },
                new NpgsqlBatchCommand("""
                    insert into relief.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type,
                                                  correlation_id, causation_id, headers, user_name, is_archived)
                    select nextval('relief.mt_events_sequence'), gen_random_uuid(), g.id, v.version,
                           replace(replace(t.data::text, $1, g.id::text), $4, replace(g.id::text, '-', ''))::jsonb, t.type, now(), t.tenant_id, t.mt_dotnet_type,
                           'generated', t.causation_id, t.headers, t.user_name, false
                    from generated_ids g
                    cross join generate_series(1, $2) v(version)
                    join relief.mt_events t on t.stream_id = $3 and t.version = least(v.version, 3)
                    order by g.id, v.version
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = template.ToString() },
                        new NpgsqlParameter { Value = (long)perHousehold },
                        new NpgsqlParameter { Value = template },
                        // Sealed values name their key by the record's id without dashes (hh-{id:N}-1): a clone's
                        // name its own household's key, which it does not have (its address reads [erased]),
                        // never the template's, which no read of the clone loads.
                        new NpgsqlParameter { Value = template.ToString("N") },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }
}

/// <summary>
/// The read curve at the store's current size, one request after the other: a household view, the
/// latest weekly report, and a household with 1,000 events as of random instants of its history
/// (the household is written once through the API and kept for the larger sizes).
/// </summary>
public sealed class ReadCurve(Options options) : IDisposable
{
    private const int LongHistory = 1_000;
    private readonly ReliefClient _client = new(options.Get("url", "http://127.0.0.1:5096"), options.Get("key", "dev-poverty-office"));
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(options.Get("db", ""));
    private readonly Bodies _bodies = new(Random.Shared.Next(1000, 2000));

    public void Dispose()
    {
        _client.Dispose();
        _db.Dispose();
    }

    public async Task<int> Run()
    {
        if (await _client.WaitReady(TimeSpan.FromSeconds(60)) is null) return 1;
        await using var command = _db.CreateCommand(
            "select id from relief.mt_doc_householddetails order by id offset (select count(*) / 2 from relief.mt_doc_householddetails) limit 1");
        var id = (Guid)(await command.ExecuteScalarAsync())!;
        var reads = options.Get("reads", 2_000);
        await using var count = _db.CreateCommand("select count(*) from relief.mt_events");
        var events = (long)(await count.ExecuteScalarAsync())!;

        var (longId, instants) = await LongHousehold();
        Func<int, string> householdRead = _ => $"/api/households/{id}";
        Func<int, string> reportRead = _ => "/api/reports/weekly-dispatch/latest";
        Func<int, string> asOfRead = i => $"/api/audit/households/{longId}?asOf={Uri.EscapeDataString(instants[i % instants.Count])}";

        await WarmUp(householdRead, reportRead, asOfRead);
        var household = await Curve(reads, householdRead);
        var report = await Curve(reads, reportRead);
        var asOf = await Curve(reads, asOfRead);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{events,9} events in the store: household read p50 {Stats.Ms(Stats.Percentile(household, 50))} ms, p99 {Stats.Ms(Stats.Percentile(household, 99))} ms" +
            $" | weekly report p50 {Stats.Ms(Stats.Percentile(report, 50))} ms, p99 {Stats.Ms(Stats.Percentile(report, 99))} ms" +
            $" | {LongHistory}-event household as of a date p50 {Stats.Ms(Stats.Percentile(asOf, 50))} ms, p99 {Stats.Ms(Stats.Percentile(asOf, 99))} ms ({reads} reads each)"));
        return 0;
    }

    /// <summary>
    /// Reads each kind in turn, 1,000 rounds unless <c>--warmup</c> says otherwise, before any read is
    /// timed. A service started a moment ago still compiles its hot methods again, optimised, in the
    /// background (tiered JIT) for its first seconds of load: at 1M events, the weekly report's p99
    /// was 7.5 ms over its first 500 reads, 5.6 ms over reads 1,500–2,500 and 3.1–3.7 ms after that
    /// (a Python loop on one connection, 29 November). A node in service has long passed that; the
    /// curve is to show how a read grows with the store, not how a process starts.
    /// </summary>
    private async Task WarmUp(params Func<int, string>[] reads)
    {
        var rounds = options.Get("warmup", 1_000);
        for (var i = 0; i < rounds; i++)
        {
            foreach (var read in reads) await _client.Get(read(i));
        }
    }

    /// <summary>Times <paramref name="reads"/> reads one after the other; answers the sorted latencies (ms).</summary>
    private async Task<List<double>> Curve(int reads, Func<int, string> url)
    {
        var latencies = new List<double>();
        for (var i = 0; i < reads; i++)
        {
            var answer = await _client.Get(url(i));
            if (!answer.Ok) throw new InvalidOperationException($"read of {url(i)} failed: {answer.Status} {answer.Body}");
            latencies.Add(answer.Milliseconds);
        }

        latencies.Sort();
        return latencies;
    }

    /// <summary>The household with a long history (written now if there is none yet) and instants within it.</summary>
    private async Task<(Guid Id, List<string> Instants)> LongHousehold()
    {
        await using (var find = _db.CreateCommand(
                         $"select id from relief.mt_streams where type = 'household' and version >= {LongHistory} limit 1"))
        {
            if (await find.ExecuteScalarAsync() is not Guid existing)
            {
                var registered = await _client.Write(HttpMethod.Post, "/api/households", _bodies.Household().ToJsonString(), Guid.NewGuid().ToString());
                if (!registered.Ok) throw new InvalidOperationException($"registering failed: {registered.Status} {registered.Body}");
                existing = registered.Json!["id"]!.GetValue<Guid>();
                var version = registered.Json!["version"]!.GetValue<int>();
                while (version < LongHistory)
                {
                    var changed = await _client.Write(HttpMethod.Put, $"/api/households/{existing}", Bodies.DetailsChange(version, version),
                        Guid.NewGuid().ToString());
                    if (!changed.Ok) throw new InvalidOperationException($"writing the long history failed: {changed.Status} {changed.Body}");
                    version = changed.Json!["version"]!.GetValue<int>();
                }
            }

            await using var times = _db.CreateCommand(
                "select to_char((timestamp + interval '1 microsecond') at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') from relief.mt_events where stream_id = $1 order by random() limit 100");
            times.Parameters.AddWithValue(existing);
            var instants = new List<string>();
            await using var reader = await times.ExecuteReaderAsync();
            while (await reader.ReadAsync()) instants.Add(reader.GetString(0));
            return (existing, instants);
        }
    }
}
