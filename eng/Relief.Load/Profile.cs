using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;

namespace Relief.Load;

/// <summary>
/// eng/profile-write: where one write's cost goes. For each kind of write (a household's own facts,
/// <c>PUT /api/households/{id}</c>; a household's policy case opened, <c>POST /api/policy-cases</c>), a
/// warm-up, then <c>--writes</c> writes through the API from <c>--clients</c> clients, and until the
/// async daemon has processed them; over that window: every statement PostgreSQL ran with its calls
/// and time (<c>pg_stat_statements</c>, reset at the start), the round trips the service sent on its
/// PostgreSQL connections (TCP segments carrying data, from <c>ss</c>: Npgsql flushes once per round
/// trip), the CPU of the service and of PostgreSQL (<c>/proc</c>), and the service's allocations and
/// garbage collections (<c>dotnet-counters</c>). An idle window first gives the service's own
/// background (daemon polling, Wolverine's agents) per second, so that each write's share can be told
/// from it.
/// </summary>
public sealed partial class Profile(Options options) : IDisposable
{
    /// <summary>Marks the profile's own statements, so that they are left out of the statement table.</summary>
    private const string Mine = "/* relief-profile */ ";

    private readonly ReliefClient _client = new(options.Get("url", "http://127.0.0.1:5098"), options.Get("key", ""));
    private readonly Bodies _bodies = new(Random.Shared.Next(1, 1000));
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(options.Get("db", ""));
    private readonly int _writes = options.Get("writes", 2000);
    private readonly int _warmup = options.Get("warmup", 500);
    private readonly int _clients = options.Get("clients", 4);
    private readonly int _servicePid = options.Get("service-pid", 0);
    private readonly int _pgPort = options.Get("pg-port", 0);
    private readonly string _counters = options.Get("counters", "");
    private readonly bool _perf = options.Flag("perf");
    private readonly CpuMeter _cpu = new(options.Get("service-pid", 0), options.Get("postmaster-pid", 0));

    public void Dispose()
    {
        _client.Dispose();
        _db.Dispose();
    }

    /// <summary>One write's figures over a measured window.</summary>
    private sealed record Window(string Name, int Writes, int Errors, double Seconds, CpuMeter.Reading Cpu, long RoundTrips,
        List<Statement> Statements);

    private sealed record Statement(string Query, long Calls, double ExecMs, double PlanMs, long Rows);

    /// <summary>What dotnet-counters saw: bytes allocated, collections per generation, time paused.</summary>
    private sealed record Runtime(double Allocated, double Gen0, double Gen1, double Gen2, double PauseSeconds, int Seconds, bool Seen);

    public async Task<int> Run()
    {
        if (await _client.WaitReady(TimeSpan.FromSeconds(60)) is null)
        {
            Console.Error.WriteLine("profile: the service did not become ready within 60 s");
            return 1;
        }

        Console.WriteLine($"profile: load average at the start (1, 5, 15 min): {Bench.LoadAverage()}");
        var households = await _client.SeedHouseholds(_bodies, _clients * 4);
        var fresh = new ConcurrentQueue<Guid>((await _client.SeedHouseholds(_bodies, _warmup + _writes)).Select(h => h.Id));
        await CatchUp();

        List<Window> windows = [];
        var n = 0L;
        await Drive(_warmup, (c, i) => ChangeDetails(households, c, Interlocked.Increment(ref n)));

        // The idle window after a warm-up: right after the seeding the service spent 0.35 s of CPU a
        // second against 0.04 s once settled (most likely the tiered JIT, not confirmed), which is not
        // the idle service's cost and was subtracted from every write.
        await CatchUp();
        await Task.Delay(TimeSpan.FromSeconds(options.Get("settle-seconds", 5)));
        var idle = await Idle(TimeSpan.FromSeconds(options.Get("idle-seconds", 5)));
        windows.Add(await Measure("household details (PUT /api/households/{id})",
            () => Drive(_writes, (c, i) => ChangeDetails(households, c, Interlocked.Increment(ref n)))));

        await Drive(_warmup, (c, i) => OpenCase(fresh));
        windows.Add(await Measure("policy case opened (POST /api/policy-cases)", () => Drive(_writes, (c, i) => OpenCase(fresh))));

        // Where the service's CPU goes, sampled by perf in windows of their own (the figures above stay free of its cost).
        // Allocations and collections (dotnet-counters) are taken there too.
        List<(string Name, List<(string Part, double Share)> Parts, int Samples, Runtime Runtime, List<(string Part, double Share)> Activities)> breakdowns = [];
        var idleRuntime = await IdleRuntime(TimeSpan.FromSeconds(options.Get("idle-seconds", 5)));
        {
            breakdowns.Add(await Sampled("household details", windows[0].Seconds,
                () => Drive(_writes, (c, i) => ChangeDetails(households, c, Interlocked.Increment(ref n)))));
            var more = new ConcurrentQueue<Guid>((await _client.SeedHouseholds(_bodies, _writes)).Select(h => h.Id));
            breakdowns.Add(await Sampled("policy case opened", windows[1].Seconds, () => Drive(_writes, (c, i) => OpenCase(more))));
        }

        Console.WriteLine();
        Console.WriteLine($"profile: load average at the end (1, 5, 15 min): {Bench.LoadAverage()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"idle service, per second: {idle.RoundTrips / idle.Seconds:0.0} round trips, {Cpu(idle.Cpu.Service, idle.Seconds)} ms service CPU, {Cpu(idle.Cpu.Postgres, idle.Seconds)} ms PostgreSQL CPU, {idle.Statements.Sum(s => s.Calls) / idle.Seconds:0.0} statements"));
        foreach (var window in windows) Print(window, idle);
        foreach (var ((name, parts, samples, runtime, activities), window) in breakdowns.Zip(windows))
        {
            Console.WriteLine();
            Console.WriteLine($"== {name}, the same writes again with dotnet-counters{(_perf ? " and perf" : "")} attached:");
            if (runtime.Seen)
            {
                var idlePerSecond = idleRuntime.Seen ? idleRuntime.Allocated / Math.Max(idleRuntime.Seconds, 1) : 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"per write: {runtime.Allocated / _writes / 1024:0} KB allocated ({(runtime.Allocated - idlePerSecond * runtime.Seconds) / _writes / 1024:0} less the idle service's {idlePerSecond / 1024:0} KB/s); per 1,000 writes: {1000 * runtime.Gen0 / _writes:0.0} gen0, " +
                    $"{1000 * runtime.Gen1 / _writes:0.0} gen1, {1000 * runtime.Gen2 / _writes:0.0} gen2 collections, " +
                    $"{1e6 * runtime.PauseSeconds / _writes:0} ms paused (a pause per write of {100 * runtime.PauseSeconds / Math.Max(window.Cpu.Service, 1e-9):0.0}% of the measured service CPU per write; " +
                    $"figures over {runtime.Seconds} s, the idle seconds after the writes included)"));
            }

            if (samples == 0) continue;
            Console.WriteLine($"where the service's CPU went ({samples} perf samples of the service's threads, exclusive time by component):");
            foreach (var (part, share) in parts) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{share,6:0.0}%  {part}"));
            Console.WriteLine("the same samples by what the thread was doing (its whole stack: the request, the async daemon, the runtime's own threads),");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"with each share of the measured window's service CPU per write ({Cpu(window.Cpu.Service, window.Writes)} ms):"));
            foreach (var (part, share) in activities)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{share,6:0.0}%  {share / 100 * 1000 * window.Cpu.Service / window.Writes,5:0.00} ms  {part}"));
            }
        }

        return windows.Sum(w => w.Errors) == 0 ? 0 : 1;
    }

    /// <summary>The writes under <c>perf record</c> (CPU clock, 999 Hz) of the service, then the samples summed by component.</summary>
    private async Task<(string, List<(string, double)>, int, Runtime, List<(string, double)>)> Sampled(string name, double seconds, Func<Task<int>> writes)
    {
        await CatchUp();
        var counters = StartCounters(TimeSpan.FromSeconds(Math.Ceiling(2 * seconds + 5)));
        if (counters is not null) await Task.Delay(1500);
        if (!_perf)
        {
            await writes();
            await CatchUp();
            return (name, [], 0, await StopCounters(counters), []);
        }

        var data = Path.Combine(Path.GetTempPath(), $"relief-profile-{Environment.ProcessId}-{Stopwatch.GetTimestamp()}.perf");
        using var perf = Process.Start(new ProcessStartInfo("perf",
            ["record", "-g", "-e", "cpu-clock", "-F", "999", "-p", _servicePid.ToString(CultureInfo.InvariantCulture), "-o", data, "--quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await Task.Delay(500);
        await writes();
        await CatchUp();
        using (var stop = Process.Start("kill", ["-INT", perf.Id.ToString(CultureInfo.InvariantCulture)])) await stop.WaitForExitAsync();
        await perf.WaitForExitAsync();
        var runtime = await StopCounters(counters);
        using var report = Process.Start(new ProcessStartInfo("perf",
            ["report", "-i", data, "--no-children", "--sort", "dso,sym", "--stdio", "-g", "none", "--percent-limit", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var text = await report.StandardOutput.ReadToEndAsync();
        await report.WaitForExitAsync();
        using var script = Process.Start(new ProcessStartInfo("perf", ["script", "-i", data, "-F", "comm,ip,sym,dso"])
        {
            RedirectStandardOutput = true,
        })!;
        var activities = Activities(script.StandardOutput);
        await script.WaitForExitAsync();
        File.Delete(data);

        var (parts, samples) = Breakdown(text);
        if (Environment.GetEnvironmentVariable("RELIEF_PROFILE_PERF_REPORT") is { Length: > 0 } keep) await File.WriteAllTextAsync($"{keep}-{name.Replace(' ', '-')}.txt", text);
        return (name, parts, samples, runtime, activities);
    }

    /// <summary>
    /// <c>perf script</c>'s samples (a thread's name, then its stack, a frame a line, a blank line after
    /// each) by what the thread was doing, by the first rule its thread or any frame of its stack
    /// matches. An await resumed by the thread pool runs its callers' continuations on the same stack,
    /// so a request's work after a database answer still shows the endpoint or Kestrel beneath it.
    /// </summary>
    public static List<(string Part, double Share)> Activities(TextReader script)
    {
        var counts = new Dictionary<string, int>();
        var thread = "";
        var stack = new System.Text.StringBuilder();
        void Count()
        {
            if (thread.Length == 0) return;
            var part = Activity(thread, stack.ToString());
            counts[part] = counts.GetValueOrDefault(part) + 1;
            thread = "";
            stack.Clear();
        }

        while (script.ReadLine() is { } line)
        {
            if (line.Length == 0) Count();
            else if (!char.IsWhiteSpace(line[0])) { Count(); thread = line; }
            else stack.AppendLine(line);
        }

        Count();
        var total = Math.Max(counts.Values.Sum(), 1);
        return [.. counts.OrderByDescending(c => c.Value).Select(c => (c.Key, 100.0 * c.Value / total))];
    }

    private static string Activity(string thread, string stack)
    {
        bool Has(string text) => stack.Contains(text, StringComparison.Ordinal);
        if (thread.Contains("GC", StringComparison.Ordinal)) return "the runtime's garbage collector threads";
        if (thread.Contains("Tiered", StringComparison.Ordinal)) return "the runtime's JIT (tiered compilation)";
        // The pipeline's frames first: an inline projection runs inside the request's commit.
        if (Has("Kestrel") || Has("Microsoft.AspNetCore") || Has("Wolverine.Http"))
            return "the request: HTTP, the pipeline, the endpoint, its reads, the append and the commit";
        if (Has("Events.Daemon") || Has("EventLoader") || Has("HighWater") || Has("Relief.Api.Dispatch") ||
            Has("Relief.Api.Audit") || Has("WebhookFanOut") || Has("DaemonWakeup"))
            return "the async daemon: the weekly report, the audit chain, the webhook fan-out, their progress";
        if (Has("[Relief.Api]") || Has("Internal.Generated"))
            return "the request: HTTP, the pipeline, the endpoint, its reads, the append and the commit";
        if (Has("Npgsql")) return "Npgsql with no caller on the stack (socket completions)";
        if (Has("SocketAsyncEngine") || thread.Contains("Sockets", StringComparison.Ordinal)) return "the socket event loop";
        if (Has("Wolverine") || Has("JasperFx")) return "Wolverine's agents and timers";
        return Has("[kernel") && !Has("/tmp/perf-") && !Has(".dll")
            ? "the kernel with no managed stack: thread switches, interrupts"
            : "other: thread-pool dispatch and spinning, timers, logging";
    }

    /// <summary>A <c>perf report --no-children --sort dso,sym --stdio</c> summed by component, the largest first, and its sample count.</summary>
    public static (List<(string Part, double Share)> Parts, int Samples) Breakdown(string report)
    {
        var parts = new Dictionary<string, double>();
        var samples = 0;
        foreach (var line in report.Split('\n'))
        {
            if (line.StartsWith("# Samples: ", StringComparison.Ordinal)) samples += ParseSamples(line);
            if (PerfLine().Match(line) is not { Success: true } match) continue;
            var part = Component(match.Groups[2].Value, match.Groups[3].Value);
            parts[part] = parts.GetValueOrDefault(part) + double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return ([.. parts.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value))], samples);
    }

    /// <summary><c>Relief.Load perf-breakdown --report file</c>: <see cref="Breakdown"/> of a saved report.</summary>
    public static int PrintBreakdown(Options options)
    {
        var (parts, samples) = Breakdown(File.ReadAllText(options.Get("report", "")));
        Console.WriteLine($"{samples} samples");
        foreach (var (part, share) in parts) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{share,6:0.0}%  {part}"));
        return 0;
    }

    private static int ParseSamples(string line)
    {
        // "# Samples: 12K of event 'cpu-clock'"
        var figure = line["# Samples: ".Length..].Split(' ')[0];
        var scale = figure.EndsWith('K') ? 1000 : figure.EndsWith('M') ? 1_000_000 : 1;
        return (int)(double.Parse(figure.TrimEnd('K', 'M'), CultureInfo.InvariantCulture) * scale);
    }

    // The library may hold spaces ("[JIT] tid 1234" for JIT-compiled code named by the perf map).
    [GeneratedRegex(@"^\s+([\d.]+)%\s+(.+?)\s+\[.\]\s+(.*)$")]
    private static partial Regex PerfLine();

    /// <summary>Which part of the stack a sampled frame belongs to (JIT-compiled frames are named by the service's perf map).</summary>
    private static string Component(string library, string symbol)
    {
        bool Has(string text) => symbol.Contains(text, StringComparison.Ordinal);
        if (library.Contains("kernel", StringComparison.Ordinal)) return "kernel: socket sends and receives, scheduling, system calls";
        if (library.Contains("libclrjit", StringComparison.Ordinal)) return "JIT compiler";
        if (library.Contains("libcoreclr", StringComparison.Ordinal) || symbol.StartsWith("stub ", StringComparison.Ordinal))
            return "runtime: GC, allocation, type system, locks, stubs";
        if (library.Contains("libcrypto", StringComparison.Ordinal) || library.Contains("Cryptography", StringComparison.Ordinal) ||
            Has("System.Security.Cryptography") || Has("Relief.Core.PersonalData") || Has("PersonalDataCipher"))
            return "encryption and hashing: personal data, fingerprints, API keys";
        if (Has("[Npgsql]")) return "Npgsql";
        if (Has("[Marten]") || Has("[Weasel") || Has("[JasperFx.Events]")) return "Marten: sessions, unit of work, projections, daemon";
        if (Has("[Wolverine") || Has("[JasperFx") || Has("Internal.Generated")) return "Wolverine and JasperFx: generated handlers, messaging";
        if (Has("[System.Text.Json]") || Has("System.Text.Json")) return "System.Text.Json: serialisation";
        if (Has("[Relief")) return "Relief's own code";
        if (Has("[Microsoft.AspNetCore") || Has("[Microsoft.Extensions") || Has("[Microsoft.Net.Http"))
            return "ASP.NET Core: Kestrel, routing, authentication, DI, logging";
        if (Has("System.Runtime.CompilerServices") || Has("System.RuntimeType") || Has("System.RuntimeTypeHandle"))
            return "runtime helpers: casts, statics, virtual dispatch, reflection";
        if (library.StartsWith("[JIT]", StringComparison.Ordinal) || library.Contains("perf-", StringComparison.Ordinal))
            return "other .NET library code: collections, strings, tasks, threads, sockets";
        return library.Contains("libc.so", StringComparison.Ordinal) || library.Contains("ld-linux", StringComparison.Ordinal) ||
               library.Contains("libSystem.Native", StringComparison.Ordinal) || library.Contains("vdso", StringComparison.Ordinal)
            ? "native C library: memory, threads, clock"
            : "other native code";
    }

    /// <summary><paramref name="count"/> writes from <see cref="_clients"/> clients, each on households of its own; answers the errors.</summary>
    private async Task<int> Drive(int count, Func<int, long, Task<Answer>> write)
    {
        var next = 0L;
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, _clients).Select(async c =>
        {
            long i;
            while ((i = Interlocked.Increment(ref next)) <= count)
            {
                var answer = await write(c, i);
                if (answer.Ok) continue;
                if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"profile: {answer.Status} {answer.Body}");
            }
        }));
        return errors;
    }

    private async Task<Answer> ChangeDetails(List<HouseholdRef> households, int client, long n)
    {
        // Client c writes households c, c + clients, ...: no two clients write one stream.
        var own = households.Where((_, i) => i % _clients == client).ToList();
        var household = own[(int)(n / _clients % own.Count)];
        var answer = await _client.Write(HttpMethod.Put, $"/api/households/{household.Id}", Bodies.DetailsChange(household.Version, n),
            Guid.NewGuid().ToString());
        if (answer.Ok) household.Version = answer.Json!["version"]!.GetValue<int>();
        return answer;
    }

    /// <summary>A household's own social-assistance case, the need identified: one per household.</summary>
    private Task<Answer> OpenCase(ConcurrentQueue<Guid> fresh)
    {
        if (!fresh.TryDequeue(out var householdId)) throw new InvalidOperationException("no household left to open a case for");
        var body = new JsonObject
        {
            ["policy"] = "SocialAssistance",
            ["householdId"] = householdId,
            ["stage"] = "NeedIdentified",
            ["openedOn"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["note"] = "低保户需求核实",
        }.ToJsonString();
        return _client.Write(HttpMethod.Post, "/api/policy-cases", body, Guid.NewGuid().ToString());
    }

    /// <summary>What the idle service allocates, per second of dotnet-counters' figures.</summary>
    private async Task<Runtime> IdleRuntime(TimeSpan length)
    {
        await CatchUp();
        return await StopCounters(StartCounters(length));
    }

    private async Task<Window> Idle(TimeSpan length)
    {
        var (before, trips) = await Start();
        await Task.Delay(length);
        return await Stop("idle", 0, 0, before, trips);
    }

    /// <summary>Runs the writes, waits for the daemon to process them, and answers the window's figures.</summary>
    private async Task<Window> Measure(string name, Func<Task<int>> writes)
    {
        await CatchUp();
        var (before, trips) = await Start();
        var errors = await writes();
        await CatchUp();
        return await Stop(name, _writes, errors, before, trips);
    }

    private async Task<((CpuMeter.Reading Cpu, long Ticks) Before, long RoundTrips)> Start()
    {
        await Sql("select pg_stat_statements_reset()");
        return ((_cpu.Read(), Stopwatch.GetTimestamp()), ServiceRoundTrips());
    }

    private async Task<Window> Stop(string name, int writes, int errors, (CpuMeter.Reading Cpu, long Ticks) before, long trips)
    {
        var cpu = _cpu.Read().Since(before.Cpu);
        var roundTrips = ServiceRoundTrips() - trips;
        var seconds = Stopwatch.GetElapsedTime(before.Ticks).TotalSeconds;
        var statements = await Statements();
        return new Window(name, writes, errors, seconds, cpu, roundTrips, statements);
    }

    /// <summary>Waits until every async shard has reached the last event (polling from the profile's own connection).</summary>
    private async Task CatchUp()
    {
        var deadline = Stopwatch.GetTimestamp() + 600 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await using var command = _db.CreateCommand(Mine +
                "select (select coalesce(max(seq_id), 0) from relief.mt_events) <= " +
                "(select coalesce(min(last_seq_id), 0) from relief.mt_event_progression where name not like 'HighWater%')");
            if (await command.ExecuteScalarAsync() is true) return;
            await Task.Delay(100);
        }

        throw new InvalidOperationException("the async daemon did not catch up within 10 minutes");
    }

    private async Task Sql(string sql)
    {
        await using var command = _db.CreateCommand(Mine + sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every statement since the reset but the profile's own, the costliest first.</summary>
    private async Task<List<Statement>> Statements()
    {
        await using var command = _db.CreateCommand(Mine +
            "select query, calls, total_exec_time, total_plan_time, rows from pg_stat_statements " +
            "where dbid = (select oid from pg_database where datname = current_database()) and query not like '/* relief-profile */%' " +
            "order by total_exec_time + total_plan_time desc");
        await using var reader = await command.ExecuteReaderAsync();
        var statements = new List<Statement>();
        while (await reader.ReadAsync())
            statements.Add(new Statement(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        return statements;
    }

    /// <summary>
    /// The TCP segments carrying data that the service sent to PostgreSQL, over its open connections:
    /// one per round trip (Npgsql writes a command or a batch, with its Sync, in one flush; the
    /// connection has no Nagle delay). A connection closed in the window takes its count with it; the
    /// pool keeps them open.
    /// </summary>
    private long ServiceRoundTrips()
    {
        if (_servicePid <= 0 || _pgPort <= 0) return 0;
        using var ss = Process.Start(new ProcessStartInfo("ss", ["-tinpH", "state", "established", $"( dport = :{_pgPort} )"])
        {
            RedirectStandardOutput = true,
        })!;
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        long total = 0;
        var ours = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.Contains("users:((", StringComparison.Ordinal)) ours = line.Contains($"pid={_servicePid},", StringComparison.Ordinal);
            else if (ours && DataSegmentsOut().Match(line) is { Success: true } match)
                total += long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return total;
    }

    [GeneratedRegex(@"\bdata_segs_out:(\d+)")]
    private static partial Regex DataSegmentsOut();

    private Process? StartCounters(TimeSpan length)
    {
        if (_counters.Length == 0 || _servicePid <= 0) return null;
        var file = Path.Combine(Path.GetTempPath(), $"relief-profile-{Environment.ProcessId}-{Stopwatch.GetTimestamp()}.csv");
        var start = new ProcessStartInfo("dotnet",
        [
            _counters, "collect", "-p", _servicePid.ToString(CultureInfo.InvariantCulture), "--refresh-interval", "1", "--format", "csv", "-o", file,
            "--counters", "System.Runtime[dotnet.gc.heap.total_allocated,dotnet.gc.collections,dotnet.gc.pause.time]",
            "--duration", TimeSpan.FromSeconds(Math.Ceiling(length.TotalSeconds) + 1).ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture),
        ])
        {
                RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        _files[process.Id] = file;
        return process;
    }

    private readonly Dictionary<int, string> _files = [];

    /// <summary>Waits for dotnet-counters to end its set duration, and sums what it wrote each second.</summary>
    private async Task<Runtime> StopCounters(Process? counters)
    {
        if (counters is null) return new Runtime(0, 0, 0, 0, 0, 0, false);
        // It writes its file only when its duration is over (a signal or "q" on a redirected input loses it).
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await counters.WaitForExitAsync(timeout.Token);
        var file = _files[counters.Id];
        var said = await counters.StandardOutput.ReadToEndAsync() + await counters.StandardError.ReadToEndAsync();
        counters.Dispose();
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"profile: dotnet-counters wrote no figures: {said.Trim()}");
            return new Runtime(0, 0, 0, 0, 0, 0, false);
        }

        double allocated = 0, gen0 = 0, gen1 = 0, gen2 = 0, pause = 0;
        var seconds = new HashSet<string>();
        // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment; rates are per refresh (1 s), summed here.
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length < 5 || !double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            var counter = fields[2];
            seconds.Add(fields[0]);
            if (counter.StartsWith("dotnet.gc.heap.total_allocated", StringComparison.Ordinal)) allocated += value;
            else if (counter.StartsWith("dotnet.gc.pause.time", StringComparison.Ordinal)) pause += value;
            else if (counter.Contains("gen0", StringComparison.Ordinal)) gen0 += value;
            else if (counter.Contains("gen1", StringComparison.Ordinal)) gen1 += value;
            else if (counter.Contains("gen2", StringComparison.Ordinal)) gen2 += value;
        }

        File.Delete(file);
        return new Runtime(allocated, gen0, gen1, gen2, pause, seconds.Count, true);
    }

    private static string Cpu(double seconds, double per) => (1000 * seconds / per).ToString("0.00", CultureInfo.InvariantCulture);

    private void Print(Window w, Window idle)
    {
        var statements = w.Statements.Sum(s => s.Calls);
        var pgMs = w.Statements.Sum(s => s.ExecMs + s.PlanMs);
        var idleShare = w.Seconds / idle.Seconds;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== {w.Name}: {w.Writes} writes from {_clients} clients in {w.Seconds:0.0} s ({w.Writes / w.Seconds:0} writes/s), {w.Errors} errors, until the daemon had processed them"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per write: {(double)statements / w.Writes:0.00} statements, {(double)w.RoundTrips / w.Writes:0.00} round trips " +
            $"({(w.RoundTrips - idle.RoundTrips * idleShare) / w.Writes:0.00} less the idle service's), " +
            $"{1000 * pgMs / w.Writes:0} µs of PostgreSQL statement time (execution + planning)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per write: {Cpu(w.Cpu.Service, w.Writes)} ms service CPU ({Cpu(w.Cpu.Service - idle.Cpu.Service * idleShare, w.Writes)} less the idle service's), " +
            $"{Cpu(w.Cpu.Postgres, w.Writes)} ms PostgreSQL CPU ({Cpu(w.Cpu.Postgres - idle.Cpu.Postgres * idleShare, w.Writes)} less idle)"));
        Console.WriteLine($"{"calls/write",11} {"µs/call",8} {"µs/write",9} {"rows/call",9}  statement");
        foreach (var s in w.Statements.Where(s => s.Calls >= w.Writes / 20))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(double)s.Calls / w.Writes,11:0.00} {1000 * (s.ExecMs + s.PlanMs) / s.Calls,8:0} {1000 * (s.ExecMs + s.PlanMs) / w.Writes,9:0} {(double)s.Rows / s.Calls,9:0.0}  {Shorten(s.Query)}"));
        }

        var rare = w.Statements.Where(s => s.Calls < w.Writes / 20).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(double)rare.Sum(s => s.Calls) / w.Writes,11:0.00} {"",8} {1000 * rare.Sum(s => s.ExecMs + s.PlanMs) / w.Writes,9:0} {"",9}  ({rare.Count} statements each run by fewer than one write in 20)"));
    }

    private static string Shorten(string query)
    {
        var one = Whitespace().Replace(query, " ").Trim();
        return one.Length <= 150 ? one : one[..147] + "...";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
