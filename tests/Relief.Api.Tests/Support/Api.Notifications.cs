using System.Collections.Concurrent;
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
    int Answered)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, a free port) that records every request and can be
/// told to fail: the first N requests, or all until told otherwise. Tests wait on its signal, never sleep.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Answer 500 to the next <paramref name="count"/> requests.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>Answer 500 to every request until <see cref="Recover"/>.</summary>
    public void FailAlways() => FailNext(int.MaxValue);

    public void Recover() => FailNext(0);

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
        var fail = Interlocked.Decrement(ref _failuresLeft) >= 0;
        if (!fail) Interlocked.Exchange(ref _failuresLeft, 0);
        var status = fail ? 500 : 200;
        _received.Enqueue(new ReceivedWebhook(request.Headers["X-Relief-Delivery"], request.Headers["X-Relief-Event"],
            request.Headers["X-Relief-Signature"], request.Headers["X-Relief-Timestamp"], body, status));
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        return Results.StatusCode(status);
    }

    /// <summary>Waits (bounded) until the received requests satisfy the condition; answers them.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitFor(Func<IReadOnlyList<ReceivedWebhook>, bool> condition,
        TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = _changed.Task;
            var received = Received;
            if (condition(received)) return received;
            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The receiver got {received.Count} request(s), not what the test waited for.");
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests arrived.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForCount(int count, TimeSpan? timeout = null) =>
        WaitFor(r => r.Count >= count, timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
