using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Relief.Core.Identity;

namespace Relief.Load;

/// <summary>Command-line options: <c>--name value</c> pairs and bare <c>--flags</c>.</summary>
public sealed class Options(string[] args)
{
    private readonly Dictionary<string, string> _values = Parse(args);

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Get(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => _values.ContainsKey(name);

    private static Dictionary<string, string> Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var name = args[i][2..];
            values[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }

        return values;
    }
}

/// <summary>One answer: status, body and how long it took, measured by the client.</summary>
public readonly record struct Answer(int Status, string Body, double Milliseconds, long AckTimestamp, bool Replayed = false)
{
    public bool Ok => Status is >= 200 and < 300;

    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
}

/// <summary>The Relief API over HTTP, with a key and an Idempotency-Key on every write.</summary>
public sealed class ReliefClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _key;

    public ReliefClient(string baseUrl, string key, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _key = key;
    }

    public Task<Answer> Get(string path, CancellationToken token = default) => Send(HttpMethod.Get, path, null, null, token: token);

    public Task<Answer> Write(HttpMethod method, string path, string json, string idempotencyKey, CancellationToken token = default) =>
        Send(method, path, json, idempotencyKey, token: token);

    public async Task<Answer> Send(HttpMethod method, string path, string? json, string? idempotencyKey, string? correlationId = null,
        CancellationToken token = default)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", _key);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (correlationId is not null) request.Headers.Add("X-Correlation-Id", correlationId);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, token);
        var body = await response.Content.ReadAsStringAsync(token);
        var ack = Stopwatch.GetTimestamp();
        return new Answer((int)response.StatusCode, body, Stopwatch.GetElapsedTime(started, ack).TotalMilliseconds, ack,
            response.Headers.Contains("Idempotent-Replayed"));
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200, or the timeout passes; answers how long it took.</summary>
    public async Task<TimeSpan?> WaitReady(TimeSpan timeout, CancellationToken token = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
                cts.CancelAfter(TimeSpan.FromSeconds(1));
                using var response = await _http.GetAsync("/health/ready", cts.Token);
                if (response.StatusCode == HttpStatusCode.OK) return Stopwatch.GetElapsedTime(started);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
            {
                // not up yet
            }

            await Task.Delay(50, token);
        }

        return null;
    }

    /// <summary>Registers <paramref name="count"/> households through the department batch, 100 a request.</summary>
    public async Task<List<HouseholdRef>> SeedHouseholds(Bodies bodies, int count)
    {
        var households = new List<HouseholdRef>();
        while (households.Count < count)
        {
            var answer = await Write(HttpMethod.Post, "/api/households/batch", bodies.Batch(Math.Min(100, count - households.Count)),
                Guid.NewGuid().ToString());
            if (!answer.Ok) throw new InvalidOperationException($"seeding failed: {answer.Status} {answer.Body}");
            households.AddRange(answer.Json!["households"]!.AsArray()
                .Select(r => new HouseholdRef(r!["id"]!.GetValue<Guid>(), r["version"]!.GetValue<int>())));
        }

        return households;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Valid request bodies with resident IDs that no other body of this run uses.</summary>
public sealed class Bodies(int seed)
{
    private static readonly DateOnly FirstBirth = new(1930, 1, 1);
    private long _next = (long)seed * 1_000_000;

    /// <summary>A fresh resident ID: birth dates over 70 years, 999 sequence numbers each.</summary>
    public (string ResidentId, DateOnly Birth) NextResident()
    {
        var n = Interlocked.Increment(ref _next);
        var birth = FirstBirth.AddDays((int)(n / 999 % 25_000));
        return (ResidentId.Create("410823", birth, (int)(n % 999) + 1), birth);
    }

    public JsonObject Household(string township = "mucheng")
    {
        var (residentId, birth) = NextResident();
        return new JsonObject
        {
            ["township"] = township,
            ["village"] = "东关村",
            ["headName"] = "张三",
            ["address"] = "东关村一组 8 号",
            ["povertyCause"] = "Illness",
            ["members"] = new JsonArray(new JsonObject
            {
                ["name"] = "张三",
                ["residentId"] = residentId,
                ["relation"] = "Head",
                ["birthDate"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["gender"] = "Male",
                ["phone"] = "13800138000",
                ["disabilityType"] = "Physical",
                ["disabilityGrade"] = 1,
                ["dependencyLevel"] = "Full",
            }),
        };
    }

    public string Batch(int households) =>
        new JsonObject { ["households"] = new JsonArray(Enumerable.Range(0, households).Select(_ => (JsonNode)Household()).ToArray()) }
            .ToJsonString();

    /// <summary>A change of the household's own facts: one event on its stream.</summary>
    public static string DetailsChange(int version, long n) =>
        new JsonObject
        {
            ["version"] = version,
            ["village"] = "东关村",
            ["headName"] = "张三",
            ["address"] = $"东关村一组 {n % 200 + 1} 号",
            ["povertyCause"] = "Illness",
        }.ToJsonString();
}

/// <summary>A household a client writes to, with the version it last saw.</summary>
public sealed class HouseholdRef(Guid id, int version)
{
    public Guid Id { get; } = id;

    public int Version { get; set; } = version;
}

public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = p / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>The peak resident memory of a process (VmHWM), in MiB, or null when unknown.</summary>
    public static double? PeakMemoryMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is null) return null;
            var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return kb / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
