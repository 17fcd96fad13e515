using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Notifications.Deliveries;

public enum DeliveryStatus
{
    /// <summary>Queued or being retried.</summary>
    Pending,
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,
    /// <summary>Every attempt failed; the department may replay it.</summary>
    Failed,
}

/// <summary>
/// One event delivered to one subscription (its id is the <c>webhook-id</c> header), with the outcome
/// of the last attempt: a status code and a fixed reason (<see cref="DeliveryReasons"/>), never the
/// receiver's text. The body is kept so that a replay sends the same bytes.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid SubscriptionId { get; set; }
    public Department Department { get; set; }
    public string Url { get; set; } = "";
    public long EventSequence { get; set; }
    public string EventType { get; set; } = "";
    public string Body { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>Attempts since the delivery was last queued (created or replayed): at the last one it is Failed.</summary>
    public int SeriesAttempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>
/// The durable message of one delivery attempt series. It is only ever published from
/// <see cref="WebhookFanOut"/>, i.e. for events already committed, inside the transaction that
/// advances the subscription (Wolverine's outbox).
/// </summary>
public sealed record DeliverWebhook(Guid DeliveryId, Guid SubscriptionId, long EventSequence, string EventType, string Body);

/// <summary>A delivery's last attempt failed: its message moves to Wolverine's dead-letter queue.</summary>
public sealed class WebhookDeliveryFailedException(string message) : Exception(message);
