using System.Net.Http.Headers;
using System.Text;
using Marten;
using Relief.Api.Infrastructure.Tenancy;
using Wolverine;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>
/// Sends one delivery: POSTs the body to the subscription's URL, signed, and records the outcome in
/// its <see cref="WebhookDelivery"/>. A non-2xx answer, a network error or a timeout throws
/// <see cref="WebhookDeliveryFailed"/>, so Wolverine retries with the configured cooldowns and at last
/// moves the message to its dead-letter queue; the last attempt marks the delivery Failed.
/// The outcome is saved in a session of its own, before the throw, so a failed attempt is still recorded.
/// </summary>
public static class DeliverWebhookHandler
{
    public const string HttpClientName = "webhooks";

    public static async Task Handle(DeliverWebhook message, Envelope envelope, Counties counties,
        IHttpClientFactory clients, WebhookSecretBox secrets, NotificationOptions options, TimeProvider clock,
        CancellationToken token)
    {
        // The fan-out of a county's database tags its messages with the county.
        await using var session = counties.LightweightSession(counties.ForTenant(envelope.TenantId));
        var delivery = await session.LoadAsync<WebhookDelivery>(message.DeliveryId, token);
        if (delivery is null) return; // wiped since: nothing to deliver to
        var secret = await session.LoadAsync<WebhookSecret>(message.SubscriptionId, token);
        var now = clock.GetUtcNow();
        if (secret is null)
        {
            delivery.Status = DeliveryStatus.Failed;
            delivery.LastError = "The subscription was cancelled: its secret is gone, nothing was sent.";
            session.Store(delivery);
            await session.SaveChangesAsync(token);
            return;
        }

        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        var body = Encoding.UTF8.GetBytes(message.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.DeliveryHeader, message.DeliveryId.ToString());
        request.Headers.Add(WebhookSignature.EventHeader, message.EventType);
        request.Headers.Add(WebhookSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Of(secrets.Open(secret), body));

        string error;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(options.Timeout);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            delivery.LastStatusCode = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                delivery.Status = DeliveryStatus.Delivered;
                delivery.DeliveredAt = now;
                delivery.LastError = null;
                session.Store(delivery);
                await session.SaveChangesAsync(token);
                return;
            }

            error = $"The receiver answered {(int)response.StatusCode}.";
        }
        catch (HttpRequestException e)
        {
            delivery.LastStatusCode = null;
            error = $"The request failed: {e.Message}";
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            delivery.LastStatusCode = null;
            error = $"The receiver did not answer within {options.Timeout.TotalSeconds:0.###} s.";
        }

        delivery.LastError = error;
        delivery.Status = envelope.Attempts >= options.MaxAttempts ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        session.Store(delivery);
        await session.SaveChangesAsync(token);
        throw new WebhookDeliveryFailed($"Delivery {message.DeliveryId} attempt {envelope.Attempts}: {error}");
    }
}
