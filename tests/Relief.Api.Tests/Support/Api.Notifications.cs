using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Relief.Api.Notifications;
using Relief.Api.Notifications.Targets;
using Wolverine.Tracking;

namespace Relief.Api.Tests.Support;

/// <summary>
/// Short retry cooldowns for the test host (three attempts about 150 ms apart), set before the host
/// is built. They belong in <see cref="AppFixture"/>'s settings; kept here because that file is shared.
/// </summary>
internal static class NotificationTestSettings
{
    /// <summary>The attempts the test host makes (AppFixture sets two short retry delays).</summary>
    public const int MaxAttempts = 3;
}

public static partial class Requests
{
    public const string WebhookSecret = "s3cret-for-tests-0123456789";

    public static JsonObject WebhookSubscription(string url, params string[] eventKinds) => new()
    {
        ["url"] = url,
        ["secret"] = WebhookSecret,
        ["eventKinds"] = new JsonArray(eventKinds.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
    };
}

public sealed partial class Api
{
    /// <summary>
    /// Starts the async daemon if it is not running. The test host runs it in Solo mode under Marten's
    /// explicit coordinator, which starts nothing by itself; the webhook fan-out is a daemon subscription.
    /// </summary>
    public async Task AsyncDaemonRunning()
    {
        var daemon = Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>().DaemonForMainDatabase();
        if (!daemon.IsRunning) await daemon.StartAllAsync();
    }

    /// <summary>
    /// The URL of the host's sink receiver (<see cref="WebhookReceivers.Sink"/>, the last allow-listed
    /// target): for subscriptions that must exist, whose deliveries no test reads.
    /// </summary>
    public string SinkWebhookUrl => $"http://{Host.Services.GetRequiredService<NotificationOptions>().AllowedTargets[^1]}/hook";

    /// <summary>Subscribes the key's department to webhooks and answers the subscription id.</summary>
    public async Task<Guid> WebhookSubscription(string url, string key = Keys.PovertyOffice, params string[] eventKinds) =>
        (await Send(HttpMethod.Post, "/api/webhook-subscriptions", Requests.WebhookSubscription(url, eventKinds), key, 201))
        .GetProperty("id").GetGuid();

    /// <summary>The key's department's deliveries, optionally filtered (e.g. <c>?status=Failed</c>).</summary>
    public async Task<JsonElement> WebhookDeliveries(string query = "", string key = Keys.PovertyOffice) =>
        await Send(HttpMethod.Get, $"/api/webhook-deliveries{query}", null, key);
}

/// <summary>One request a <see cref="WebhookReceiver"/> got, and what it answered.</summary>
public sealed record ReceivedWebhook(string? DeliveryId, string? EventType, string? Signature, string? Timestamp, string Body,
    int Answered, string? LegacyDeliveryId, string? LegacySignature, string? LegacyTimestamp)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, a free port) that records every request and can be
/// told to fail (the first N requests, or all until told otherwise) or to hold requests unanswered.
/// Tests wait on its signal, never sleep. Receivers are started by the fixture before its host, which
/// allow-lists exactly their endpoints (<see cref="WebhookReceivers"/>).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failuresLeft;
    private volatile bool _holding;
    private int _held;
    private int _abandoned;

    private WebhookReceiver(WebApplication app) => _app = app;

    private Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public string Url => Address.GetLeftPart(UriPartial.Authority) + "/hook";

    public int Port => Address.Port;

    /// <summary>The endpoint a host allow-lists for this receiver: <c>127.0.0.1:port</c>.</summary>
    public string EndPoint => $"127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Requests that arrived while holding and are still unanswered.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Held requests whose sender gave up (timed out, closed the connection) before they were released.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>Answer 500 to the next <paramref name="count"/> requests.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>Answer 500 to every request until <see cref="Recover"/>.</summary>
    public void FailAlways() => FailNext(int.MaxValue);

    public void Recover() => FailNext(0);

    /// <summary>Accept requests and answer none until <see cref="Release"/>: a receiver that never answers.</summary>
    public void Hold() => _holding = true;

    /// <summary>Stop holding: the held requests are answered (200), and the next ones at once.</summary>
    public void Release()
    {
        _holding = false;
        Interlocked.Exchange(ref _release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
    }

    /// <summary>As new, for the next test: answering, holding nothing, nothing received.</summary>
    public void Reset()
    {
        Recover();
        Release();
        _received.Clear();
        Interlocked.Exchange(ref _abandoned, 0);
    }

    public static async Task<WebhookReceiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.Receive);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> Receive(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (_holding && !await HeldUntilReleased(request.HttpContext.RequestAborted)) return Results.Empty;

        var fail = Interlocked.Decrement(ref _failuresLeft) >= 0;
        if (!fail) Interlocked.Exchange(ref _failuresLeft, 0);
        var status = fail ? 500 : 200;
        var headers = request.Headers;
        _received.Enqueue(new ReceivedWebhook(headers["webhook-id"], headers["X-Relief-Event"], headers["webhook-signature"],
            headers["webhook-timestamp"], body, status, headers["X-Relief-Delivery"], headers["X-Relief-Signature"],
            headers["X-Relief-Timestamp"]));
        Signal();
        return Results.StatusCode(status);
    }

    /// <summary>Holds one request: true once released, false when its sender gave up first.</summary>
    private async Task<bool> HeldUntilReleased(CancellationToken aborted)
    {
        var release = _release.Task;
        Interlocked.Increment(ref _held);
        Signal();
        try
        {
            await release.WaitAsync(aborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _abandoned);
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _held);
            Signal();
        }
    }

    private void Signal() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();

    /// <summary>Waits (bounded) until the received requests satisfy the condition; answers them.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitFor(Func<IReadOnlyList<ReceivedWebhook>, bool> condition,
        TimeSpan? timeout = null)
    {
        await Until(() => condition(Received), timeout, () => $"The receiver got {Received.Count} request(s), not what the test waited for.");
        return Received;
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> requests are held unanswered.</summary>
    public Task WaitForHeld(int count, TimeSpan? timeout = null) =>
        Until(() => Held >= count, timeout, () => $"The receiver holds {Held} request(s), not {count}.");

    private async Task Until(Func<bool> condition, TimeSpan? timeout, Func<string> failure)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = _changed.Task;
            if (condition()) return;
            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(failure());
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests arrived.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForCount(int count, TimeSpan? timeout = null) =>
        WaitFor(r => r.Count >= count, timeout);

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// The receivers of one test host, started before it: the host allow-lists exactly their endpoints
/// (<c>Relief:Notifications:AllowedTargets</c>) and no other loopback address. <see cref="Sink"/> takes the
/// deliveries of subscriptions made only to exist (<see cref="World"/>); no test asserts on it.
/// </summary>
public sealed class WebhookReceivers : IAsyncDisposable
{
    private readonly WebhookReceiver[] _all;

    private WebhookReceivers(WebhookReceiver[] all) => _all = all;

    public WebhookReceiver First => _all[0];

    public WebhookReceiver Second => _all[1];

    public WebhookReceiver Sink => _all[2];

    public static async Task<WebhookReceivers> Start() =>
        new([await WebhookReceiver.Start(), await WebhookReceiver.Start(), await WebhookReceiver.Start()]);

    public void AllowIn(IWebHostBuilder builder)
    {
        for (var i = 0; i < _all.Length; i++) builder.UseSetting($"Relief:Notifications:AllowedTargets:{i}", _all[i].EndPoint);
    }

    public void Reset()
    {
        foreach (var receiver in _all) receiver.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var receiver in _all) await receiver.DisposeAsync();
    }
}

/// <summary>
/// The test hosts' name resolution: <c>localhost</c> and the names a test scripts, nothing else, so a
/// test never sends a DNS query. A scripted name answers its answers in turn, the last one for good
/// (how a test plays a DNS-rebinding name).
/// </summary>
public sealed class ScriptedNameResolver : IWebhookNameResolver
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);

    public void Answer(string host, params IPAddress[][] answers) => _answers[host] = new ConcurrentQueue<IPAddress[]>(answers);

    public void Reset() => _answers.Clear();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken token)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult<IPAddress[]>([IPAddress.Loopback, IPAddress.IPv6Loopback]);
        if (!_answers.TryGetValue(host, out var answers)) throw new SocketException((int)SocketError.HostNotFound);
        var answer = answers.Count > 1 && answers.TryDequeue(out var next) ? next : answers.First();
        return Task.FromResult(answer);
    }
}

/// <summary>A condition of a Wolverine tracked session: met once a recorded envelope event matches.</summary>
public sealed class TrackedRecord(Func<EnvelopeRecord, bool> match) : ITrackedCondition
{
    private int _met;

    public void Record(EnvelopeRecord record)
    {
        if (match(record)) Interlocked.Exchange(ref _met, 1);
    }

    public bool IsCompleted() => Volatile.Read(ref _met) == 1;
}
