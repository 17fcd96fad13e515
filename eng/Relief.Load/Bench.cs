using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Relief.Load;

/// <summary>One measured run: what was sent, how many events it recorded, and each request's latency.</summary>
public sealed record RunResult(string Scenario, int Clients, double Seconds, int Requests, int Errors, long Events,
    IReadOnlyList<double> Latencies, CpuMeter.Reading? Cpu = null)
{
    /// <summary>CPU milliseconds per request of the service and of PostgreSQL during the measured window.</summary>
    public (double Service, double Postgres) CpuPerRequest =>
        Cpu is { } cpu && Requests > 0 ? (1000 * cpu.Service / Requests, 1000 * cpu.Postgres / Requests) : (double.NaN, double.NaN);

    public double RequestsPerSecond => Requests / Seconds;

    public double EventsPerSecond => Events / Seconds;

    public double P(double p) => Stats.Percentile(Latencies, p);
}

/// <summary>
/// eng/bench's load: single-event commands, department batches and an 80/20 read/write mix at
/// several client counts, a paced run at 100 requests/s with projection lag, all through the HTTP API.
/// </summary>
public sealed class Bench(Options options) : IDisposable
{
    private readonly ReliefClient _client = new(options.Get("url", "http://127.0.0.1:5099"), options.Get("key", "dev-poverty-office"));
    private readonly Bodies _bodies = new(Random.Shared.Next(1, 1000));
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(options.Get("db", ""));
    private readonly int _seconds = options.Get("seconds", 15);
    private readonly int _warmup = options.Get("warmup", 3);
    private readonly int[] _clients = options.Get("clients", "1,4,16,64").Split(',').Select(int.Parse).ToArray();
    private readonly int _batchSize = options.Get("batch", 100);
    private readonly int _pacedSeconds = options.Get("paced-seconds", 30);

    /// <summary>Writes per second of the paced run (default 100; below 0.1 every write follows an idle daemon).</summary>
    private readonly double _pacedRate = double.Parse(options.Get("paced-rate", "100"), CultureInfo.InvariantCulture);

    /// <summary>Every how many writes of the paced run the lag is measured (default 10).</summary>
    private readonly int _pacedSampleEvery = options.Get("paced-sample-every", 10);
    private readonly List<RunResult> _results = [];
    private readonly CpuMeter _cpu = new(options.Get("service-pid", 0), options.Get("postmaster-pid", 0));

    /// <summary>
    /// The async shards the service must run (<c>--shards</c>, from eng/bench): the daemon's share of a
    /// write is part of its cost, so a run whose shards did not all start measures something else.
    /// Empty: whatever shards have recorded progress.
    /// </summary>
    private readonly string[] _shards = options.Get("shards", "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Which scenarios to run (all by default): single, single-without-key, batches, mix, floor, paced.</summary>
    private readonly HashSet<string> _scenarios = [.. options.Get("scenarios", "floor,single,single-without-key,batches,mix,paced").Split(',')];

    public void Dispose()
    {
        _client.Dispose();
        _db.Dispose();
    }

    public async Task<int> Run()
    {
        var ready = await _client.WaitReady(TimeSpan.FromSeconds(60));
        if (ready is null)
        {
            Console.Error.WriteLine("bench: the service did not become ready within 60 s");
            return 1;
        }

        var households = await _client.SeedHouseholds(_bodies, _clients.Max() * 4);
        // Wolverine starts the agents some seconds after the service answers (the node takes the
        // leadership, then assigns them): no run starts before every shard has processed the seeding.
        if (!await CatchUp(TimeSpan.FromSeconds(options.Get("shard-start-seconds", 90)), quiet: true))
        {
            Console.Error.WriteLine($"bench: the async shards did not all start and catch up: {await ShardPositions()}");
            return 1;
        }

        Console.WriteLine($"bench: load average at the start (1, 5, 15 min): {LoadAverage()}");
        Console.WriteLine($"bench: {households.Count} households seeded; {_seconds} s per run after {_warmup} s of warm-up");

        foreach (var clients in _scenarios.Contains("single") ? _clients : [])
        {
            _results.Add(await ClosedLoop("single events", clients, households, (c, h, n, t) => WriteOne(h, n, t)));
        }

        // One guarantee's price, measured: the same single-event write at 16 clients without an
        // Idempotency-Key, so without the key's lock, lookup and stored answer (exactly-once retries).
        if (_scenarios.Contains("single-without-key"))
        {
            _results.Add(await ClosedLoop("single, no Idempotency-Key", 16, households, (c, h, n, t) => WriteOne(h, n, t, idempotent: false)));
        }

        // The floor: an authenticated request that touches no database, through the same pipeline and
        // the same load generator, once the service is warm. No write can be answered faster than this on the same machine.
        if (_scenarios.Contains("floor"))
        {
            _results.Add(await ClosedLoop("floor (no database)", 16, households, (c, h, n, t) => Floor(t)));
        }

        foreach (var clients in _scenarios.Contains("batches") ? _clients : [])
        {
            _results.Add(await ClosedLoop($"batches of {_batchSize}", clients, households, (c, h, n, t) => WriteBatch(t)));
        }

        foreach (var clients in _scenarios.Contains("mix") ? _clients : [])
        {
            _results.Add(await ClosedLoop("80/20 read/write", clients, households,
                (c, h, n, t) => n % 5 == 0 ? WriteOne(h, n, t) : Read(h, t)));
        }

        List<double> lags = [];
        List<string> shards = [];
        if (_scenarios.Contains("paced"))
        {
            // The batches leave the async daemon behind: the lag of a paced load is measured from a
            // caught-up daemon, and how fast it drained the backlog is a figure of its own.
            await CatchUp(TimeSpan.FromMinutes(options.Get("catch-up-minutes", 10)));
            RunResult paced;
            (paced, lags, shards) = await Paced(households, _pacedRate);
            _results.Add(paced);
        }

        Print(lags, shards, await ShardPositions());
        return 0;
    }

    private delegate Task<(bool Ok, int Events)> Step(int client, HouseholdRef household, long n, CancellationToken token);

    /// <summary>
    /// <paramref name="clients"/> clients, each sending its next request as soon as the last one is
    /// answered, on households of its own (so that no two clients write one stream).
    /// </summary>
    private async Task<RunResult> ClosedLoop(string scenario, int clients, IReadOnlyList<HouseholdRef> households, Step step)
    {
        ServiceAlive();
        // Each run starts with the daemon caught up: the backlog of the run before (a batch run leaves
        // one) would otherwise take the cores this run is measured on.
        await CatchUp(TimeSpan.FromMinutes(options.Get("catch-up-minutes", 10)), quiet: true);
        var latencies = new ConcurrentBag<double>();
        var requests = 0;
        var errors = 0;
        long events = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var counter = 0L;

        var workers = Enumerable.Range(0, clients).Select(async c =>
        {
            var own = households.Where((_, i) => i % clients == c).ToList();
            var k = 0;
            while (!stop.IsCancellationRequested)
            {
                var household = own[k++ % own.Count];
                var n = Interlocked.Increment(ref counter);
                var started = Stopwatch.GetTimestamp();
                (bool Ok, int Events) outcome;
                try
                {
                    outcome = await step(c, household, n, CancellationToken.None);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    outcome = (false, 0);
                }

                if (!Volatile.Read(ref measuring)) continue;
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref requests);
                if (!outcome.Ok) Interlocked.Increment(ref errors);
                Interlocked.Add(ref events, outcome.Events);
            }
        }).ToList();

        await Task.Delay(TimeSpan.FromSeconds(_warmup));
        var before = _cpu.Read();
        Volatile.Write(ref measuring, true);
        var measured = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(_seconds));
        Volatile.Write(ref measuring, false);
        var seconds = measured.Elapsed.TotalSeconds;
        var after = _cpu.Read();
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var result = new RunResult(scenario, clients, seconds, requests, errors, events, [.. latencies.Order()],
            after.Since(before));
        Console.WriteLine(Line(result));
        ServiceAlive();
        return result;
    }

    /// <summary>Stops the run when the service is gone: figures of a dead service would be the client's own.</summary>
    private void ServiceAlive()
    {
        if (options.Get("service-pid", 0) is > 0 and var pid && !Directory.Exists($"/proc/{pid}"))
        {
            throw new InvalidOperationException($"the service (pid {pid}) exited during the run; see its log");
        }
    }

    private async Task<(bool, int)> WriteOne(HouseholdRef household, long n, CancellationToken token, bool idempotent = true)
    {
        var answer = await _client.Send(HttpMethod.Put, $"/api/households/{household.Id}", Bodies.DetailsChange(household.Version, n),
            idempotent ? Guid.NewGuid().ToString() : null, token: token);
        if (!answer.Ok) return (false, 0);
        household.Version = answer.Json!["version"]!.GetValue<int>();
        return (true, 1);
    }

    private async Task<(bool, int)> WriteBatch(CancellationToken token)
    {
        var answer = await _client.Write(HttpMethod.Post, "/api/households/batch", _bodies.Batch(_batchSize), Guid.NewGuid().ToString(), token);
        return answer.Ok ? (true, _batchSize * 2) : (false, 0);
    }

    private async Task<(bool, int)> Floor(CancellationToken token)
    {
        var answer = await _client.Get("/api/evaluations/rubric", token);
        return (answer.Ok, 0);
    }

    private async Task<(bool, int)> Read(HouseholdRef household, CancellationToken token)
    {
        var answer = await _client.Get($"/api/households/{household.Id}", token);
        return (answer.Ok, 0);
    }

    /// <summary>
    /// Single-event writes started at a fixed rate whatever the answers (an open loop), and for every
    /// tenth write the projection lag: from the acknowledgement until every async shard of the daemon
    /// has processed the event's sequence number.
    /// </summary>
    private async Task<(RunResult, List<double>, List<string>)> Paced(List<HouseholdRef> households, double ratePerSecond)
    {
        var shards = await AsyncShards();
        var latencies = new ConcurrentBag<double>();
        var lags = new ConcurrentBag<double>();
        var lagTasks = new ConcurrentBag<Task>();
        await using var watcher = new LagWatcher(this, lags);
        var requests = 0;
        var errors = 0;
        var inFlight = new ConcurrentDictionary<Guid, SemaphoreSlim>();
        var interval = TimeSpan.FromSeconds(1.0 / ratePerSecond);
        var before = _cpu.Read();
        var started = Stopwatch.GetTimestamp();
        var sent = new List<Task>();
        long n = 0;

        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(_pacedSeconds))
        {
            var due = started + (long)(n * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var household = households[(int)(n % households.Count)];
            var sample = n % _pacedSampleEvery == 0;
            var number = n++;
            sent.Add(Task.Run(async () =>
            {
                // One write at a time per household, so that each carries the version the last one answered.
                var gate = inFlight.GetOrAdd(household.Id, _ => new SemaphoreSlim(1));
                await gate.WaitAsync();
                try
                {
                    var answer = await _client.Write(HttpMethod.Put, $"/api/households/{household.Id}",
                        Bodies.DetailsChange(household.Version, number), Guid.NewGuid().ToString());
                    latencies.Add(answer.Milliseconds);
                    Interlocked.Increment(ref requests);
                    if (!answer.Ok)
                    {
                        Interlocked.Increment(ref errors);
                        return;
                    }

                    household.Version = answer.Json!["version"]!.GetValue<int>();
                    if (sample && shards.Count > 0) lagTasks.Add(watcher.Sample(household.Id, household.Version, answer.AckTimestamp));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(sent);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var after = _cpu.Read();
        await Task.WhenAll(lagTasks);
        var result = new RunResult(string.Create(CultureInfo.InvariantCulture, $"paced {ratePerSecond}/s writes"), 0, seconds, requests, errors, requests - errors,
            [.. latencies.Order()], after.Since(before));
        Console.WriteLine(Line(result));
        return (result, [.. lags.Order()], shards);
    }

    /// <summary>Waits until every async shard has reached the last event; answers whether they did within the limit.</summary>
    private async Task<bool> CatchUp(TimeSpan limit, bool quiet = false)
    {
        var started = Stopwatch.GetTimestamp();
        long? first = null;
        while (true)
        {
            await using var command = _db.CreateCommand(
                "select (select coalesce(max(seq_id), 0) from relief.mt_events), " + Reached("$1"));
            command.Parameters.AddWithValue(_shards);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (last, reached) = (reader.GetInt64(0), reader.GetInt64(1));
            first ??= last - reached;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (reached >= last)
            {
                if (!quiet)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"bench: async daemon caught up with a backlog of {first} events in {elapsed.TotalSeconds:0.0} s ({(first / Math.Max(elapsed.TotalSeconds, 0.001)):0} events/s)"));
                }

                return true;
            }

            if (elapsed > limit)
            {
                if (!quiet)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"bench: async daemon still {last - reached} events behind after {elapsed.TotalSeconds:0} s; the paced run starts anyway"));
                }

                return false;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>
    /// The lowest position of the async shards: of the expected ones when given (a shard that has
    /// recorded nothing yet is at 0), else of those that have recorded progress.
    /// </summary>
    private string Reached(string shards) => _shards.Length > 0
        ? $"(select coalesce(min(coalesce(p.last_seq_id, 0)), 0) from unnest({shards}::text[]) as s(name) left join relief.mt_event_progression p on p.name = s.name)"
        : "(select coalesce(min(last_seq_id), 0) from relief.mt_event_progression where name not like 'HighWater%' and cardinality($1::text[]) = 0)";

    /// <summary>Each shard's position and the last event, for the report.</summary>
    private async Task<string> ShardPositions()
    {
        await using var command = _db.CreateCommand(
            "select (select coalesce(max(seq_id), 0) from relief.mt_events), " +
            "coalesce((select string_agg(s.name || ' ' || coalesce(p.last_seq_id::text, 'never ran'), ', ' order by s.name) " +
            "from (select unnest($1::text[]) union select name from relief.mt_event_progression where name not like 'HighWater%') as s(name) " +
            "left join relief.mt_event_progression p on p.name = s.name), 'none')");
        command.Parameters.AddWithValue(_shards);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"last event {reader.GetInt64(0)}; {reader.GetString(1)}";
    }

    private async Task<List<string>> AsyncShards()
    {
        if (_shards.Length > 0) return [.. _shards.Order()];
        await using var command = _db.CreateCommand(
            "select name from relief.mt_event_progression where name not like 'HighWater%' order by name");
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>
    /// The projection lag of the sampled writes, watched by one loop: every 5 ms, while samples are
    /// pending, it reads how far every shard has got and settles each sample it has reached (after
    /// 60 s, as never). One query whatever the number of samples: when the daemon falls behind, the
    /// measurement must not add to the load it is measuring (a loop per sample did, 10 more each
    /// second, until PostgreSQL refused connections; run of 22:03).
    /// </summary>
    private sealed class LagWatcher : IAsyncDisposable
    {
        private readonly Bench _bench;
        private readonly ConcurrentBag<double> _lags;
        private readonly List<(long Seq, long Ack, TaskCompletionSource Done)> _pending = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public LagWatcher(Bench bench, ConcurrentBag<double> lags)
        {
            _bench = bench;
            _lags = lags;
            _loop = Task.Run(Watch);
        }

        /// <summary>Finds the sequence number of the write's event, then waits until every shard has reached it.</summary>
        public async Task Sample(Guid streamId, int version, long ackTimestamp)
        {
            await using var find = _bench._db.CreateCommand("select seq_id from relief.mt_events where stream_id = $1 and version = $2");
            find.Parameters.AddWithValue(streamId);
            find.Parameters.AddWithValue((long)version);
            if (await find.ExecuteScalarAsync() is not long seq) return;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_pending) _pending.Add((seq, ackTimestamp, done));
            await done.Task;
        }

        private async Task Watch()
        {
            while (!_stop.IsCancellationRequested)
            {
                bool any;
                lock (_pending) any = _pending.Count > 0;
                if (any)
                {
                    await using var progress = _bench._db.CreateCommand("select " + _bench.Reached("$1"));
                    progress.Parameters.AddWithValue(_bench._shards);
                    var reached = await progress.ExecuteScalarAsync() as long? ?? 0;
                    lock (_pending)
                    {
                        for (var i = _pending.Count - 1; i >= 0; i--)
                        {
                            var (seq, ack, done) = _pending[i];
                            var waited = Stopwatch.GetElapsedTime(ack);
                            if (reached < seq && waited < TimeSpan.FromSeconds(60)) continue;
                            _lags.Add(reached >= seq ? waited.TotalMilliseconds : double.PositiveInfinity);
                            _pending.RemoveAt(i);
                            done.SetResult();
                        }
                    }
                }

                try
                {
                    await Task.Delay(5, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }

    /// <summary>The machine's load average: on a shared 2-core machine, other work skews every figure.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Figures passed in as <c>clients=per-second,...</c> (pgbench's and Marten alone's).</summary>
    private Dictionary<int, double> Figures(string option) =>
        options.Get(option, "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => double.Parse(p[1], CultureInfo.InvariantCulture));

    private static string Header() =>
        $"{"scenario",-24} {"clients",7} {"requests/s",11} {"events/s",10} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7} {"CPU ms/request: service",23} {"PostgreSQL",10}";

    private static string Line(RunResult r) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{r.Scenario,-24} {(r.Clients == 0 ? "-" : r.Clients.ToString(CultureInfo.InvariantCulture)),7} {r.RequestsPerSecond,11:0.0} {r.EventsPerSecond,10:0.0} {Stats.Ms(r.P(50)),8} {Stats.Ms(r.P(95)),8} {Stats.Ms(r.P(99)),8} {r.Errors,7} {Cpu(r.CpuPerRequest.Service),23} {Cpu(r.CpuPerRequest.Postgres),10}");

    private static string Cpu(double ms) => double.IsFinite(ms) ? ms.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private void Print(List<double> lags, List<string> shards, string positions)
    {
        var pgbench = Figures("pgbench");
        var marten = Figures("marten");

        Console.WriteLine();
        Console.WriteLine($"load average at the end (1, 5, 15 min): {LoadAverage()}");
        Console.WriteLine(Header());
        foreach (var result in _results) Console.WriteLine(Line(result));
        foreach (var (clients, tps) in pgbench.OrderBy(p => p.Key))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"pgbench (same append)",-24} {clients,7} {tps,11:0.0} {tps,10:0.0}"));
        }

        foreach (var (clients, tps) in marten.OrderBy(p => p.Key))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"Marten alone (no HTTP)",-24} {clients,7} {tps,11:0.0} {tps,10:0.0}"));
        }

        foreach (var (clients, tps) in Figures("marten-grouped"))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"Marten alone, 16 per tx",-24} {clients,7} {tps / 16,11:0.0} {tps,10:0.0}"));
        }

        Console.WriteLine();
        Console.WriteLine($"async shards at the end (the last event each has processed): {positions}");
        if (shards.Count == 0)
        {
            Console.WriteLine("projection lag: no async shard in relief.mt_event_progression; not measured");
        }
        else
        {
            var finite = lags.Where(double.IsFinite).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"projection lag (ack until every async shard reached the event; shards: {string.Join(", ", shards)}): " +
                $"p95 {Stats.Percentile(finite, 95) / 1000:0.000} s, max {(lags.Count == 0 ? double.NaN : lags.Max()) / 1000:0.000} s, n={lags.Count}"));
        }

        if (options.Get("service-pid", 0) is > 0 and var pid && Stats.PeakMemoryMiB(pid) is { } peak)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"service peak memory (VmHWM): {peak:0} MiB"));
        }

        // The ceiling of the stack: what Marten alone does next to pgbench, and Relief next to Marten alone.
        var single16 = _results.FirstOrDefault(r => r.Scenario == "single events" && r.Clients == 16);
        if (marten.TryGetValue(16, out var alone) && alone > 0 && pgbench.TryGetValue(16, out var limit) && limit > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Marten alone to pgbench (16 clients): {alone / limit:0.00}; Relief's single events to Marten alone: {(single16?.EventsPerSecond ?? 0) / alone:0.00}"));
        }

        if (single16 is not null && _results.FirstOrDefault(r => r.Scenario == "single, no Idempotency-Key") is { } bare && bare.EventsPerSecond > 0)
        {
            var (keyedService, keyedPostgres) = single16.CpuPerRequest;
            var (bareService, barePostgres) = bare.CpuPerRequest;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"exactly-once retries (the Idempotency-Key) at 16 clients: {bare.EventsPerSecond:0} writes/s without the key, {single16.EventsPerSecond:0} with it " +
                $"({single16.EventsPerSecond / bare.EventsPerSecond:0.00}); CPU per write {keyedService - bareService:+0.00;-0.00} ms service, {keyedPostgres - barePostgres:+0.00;-0.00} ms PostgreSQL"));
        }

        if (single16 is not null && pgbench.TryGetValue(16, out var physical) && physical > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio to pgbench: {single16.EventsPerSecond / physical:0.00}"));
        }
        else
        {
            Console.WriteLine("ratio to pgbench: n/a (no 16-client single-event run or no pgbench figure)");
        }

        // Last: the target since issue 21, Relief's single events next to Marten's own append in the same run.
        Console.WriteLine(single16 is not null && marten.TryGetValue(16, out var ceiling) && ceiling > 0
            ? string.Create(CultureInfo.InvariantCulture, $"ratio to Marten alone: {single16.EventsPerSecond / ceiling:0.00}")
            : "ratio to Marten alone: n/a (no 16-client single-event run or no Marten-alone figure)");
    }
}
