using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Marten;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Relief.Api.Infrastructure.Tenancy;
using Wolverine;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>
/// Sends one delivery: POSTs the body to the subscription's URL, signed, through the subscription's
/// own <see cref="SubscriptionCircuits">circuit</see>, and records the outcome in its
/// <see cref="WebhookDelivery"/> (a status and a fixed <see cref="DeliveryReasons">reason</see>).
/// <para>
/// A failed attempt is retried by sending the same message again after the next cooldown of
/// <see cref="NotificationOptions.RetryDelays"/> (a scheduled message: it holds no sending slot while it
/// waits). After the last attempt the delivery is Failed and <see cref="WebhookDeliveryFailedException"/> moves the
/// message to Wolverine's dead-letter queue. While the subscription has its fill of deliveries in flight,
/// or its circuit is open, the delivery is not attempted, not counted and not failed: it is sent again
/// later. The outcome is saved in a session of its own.
/// </para>
/// </summary>
public static class DeliverWebhookHandler
{
    public const string HttpClientName = "webhooks";

    public static async Task<OutgoingMessages> Handle(DeliverWebhook message, Envelope envelope, Counties counties,
        IHttpClientFactory clients, WebhookSecretBox secrets, SubscriptionCircuits circuits, NotificationOptions options,
        TimeProvider clock, CancellationToken token)
    {
        var done = new OutgoingMessages();
        // The fan-out of a county's database tags its messages with the county.
        await using var session = counties.LightweightSession(await counties.ForTenantAsync(envelope.TenantId, token));
        var delivery = await session.LoadAsync<WebhookDelivery>(message.DeliveryId, token);
        if (delivery is null) return done; // wiped since: nothing to deliver to
        var secret = await session.LoadAsync<WebhookSecret>(message.SubscriptionId, token);
        if (secret is null)
        {
            delivery.Status = DeliveryStatus.Failed;
            delivery.LastError = DeliveryReasons.SubscriptionCancelled;
            session.Store(delivery);
            await session.SaveChangesAsync(token);
            return done;
        }

        AttemptOutcome outcome;
        try
        {
            outcome = await circuits.For(message.SubscriptionId).ExecuteAsync(
                async ct => await SendAsync(message, delivery.Url, secrets.Open(secret), clients, options, clock.GetUtcNow(), ct),
                token);
        }
        catch (RateLimiterRejectedException)
        {
            return Later(message, options.BusyDelay, Wait.Busy);
        }
        catch (BrokenCircuitException open)
        {
            if (delivery.LastError != DeliveryReasons.CircuitOpen)
            {
                delivery.LastError = DeliveryReasons.CircuitOpen;
                session.Store(delivery);
                await session.SaveChangesAsync(token);
            }

            return Later(message, open.RetryAfter ?? options.BreakDuration, Wait.CircuitOpen);
        }

        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.SeriesAttempts++;
        delivery.LastAttemptAt = now;
        delivery.LastStatusCode = outcome.StatusCode;
        delivery.LastError = outcome.Reason;
        if (outcome.Delivered)
        {
            delivery.Status = DeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
        }
        else
        {
            delivery.Status = delivery.SeriesAttempts >= options.MaxAttempts ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        }

        session.Store(delivery);
        await session.SaveChangesAsync(token);
        if (delivery.Status == DeliveryStatus.Failed)
            throw new WebhookDeliveryFailedException($"Delivery {message.DeliveryId} failed {delivery.SeriesAttempts} times, lastly: {outcome.Reason}.");
        return delivery.Status == DeliveryStatus.Pending
            ? Later(message, options.RetryDelays[delivery.SeriesAttempts - 1], Wait.Retry)
            : done;
    }

    /// <summary>Why a delivery's message is sent again later: the value of its <see cref="Wait.Header"/>.</summary>
    public static class Wait
    {
        public const string Header = "relief-webhook-wait";
        public const string Retry = "retry";
        public const string Busy = "busy";
        public const string CircuitOpen = "circuit-open";
    }

    /// <summary>The same message, scheduled after <paramref name="delay"/>, saying why it waits.</summary>
    private static OutgoingMessages Later(DeliverWebhook message, TimeSpan delay, string why)
    {
        var options = new DeliveryOptions { ScheduleDelay = delay };
        options.Headers[Wait.Header] = why;
        var later = new OutgoingMessages();
        later.Add(message, options);
        return later;
    }

    /// <summary>One attempt: the signed POST, and what came of it. Only the host's shutdown throws.</summary>
    private static async Task<AttemptOutcome> SendAsync(DeliverWebhook message, string url, string secret,
        IHttpClientFactory clients, NotificationOptions options, DateTimeOffset now, CancellationToken token)
    {
        var id = message.DeliveryId.ToString();
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes(message.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader,
            WebhookSignature.Of(WebhookSignature.KeyOf(secret), id, now, message.Body));
        request.Headers.Add(WebhookSignature.EventHeader, message.EventType);
        request.Headers.Add(WebhookSignature.LegacyDeliveryHeader, id);
        request.Headers.Add(WebhookSignature.LegacyTimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.LegacySignatureHeader, WebhookSignature.Legacy(secret, body));

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(options.Timeout);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return new AttemptOutcome(status, response.IsSuccessStatusCode ? null : DeliveryReasons.Answered(status));
        }
        catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException && !token.IsCancellationRequested)
        {
            return new AttemptOutcome(null, DeliveryReasons.Of(e));
        }
    }
}
