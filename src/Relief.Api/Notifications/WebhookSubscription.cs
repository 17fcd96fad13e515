using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Notifications;

// The webhook-subscription stream: a department asks to be told of events by HTTP POST.

/// <summary>
/// A department subscribed a webhook. The secret is not in the event (events are never edited and
/// a secret must be replaceable and forgettable): it is kept encrypted in <see cref="WebhookSecret"/>.
/// An empty <paramref name="EventKinds"/> means every kind in <see cref="EventCatalogue"/>.
/// <paramref name="Organisation"/>: which member of the department (which bank) subscribed; the
/// subscription is that member's alone.
/// </summary>
public sealed record WebhookSubscribed(
    Guid SubscriptionId,
    Department Department,
    string Url,
    IReadOnlyList<string> EventKinds,
    string SubscribedBy,
    DateTimeOffset SubscribedAt,
    string? Organisation = null);

/// <summary>The subscription was cancelled: nothing more is delivered to it.</summary>
public sealed record WebhookSubscriptionCancelled(Guid SubscriptionId, string CancelledBy, DateTimeOffset CancelledAt);

/// <summary>
/// The department asked for a delivery to be sent again, under the same delivery id. Recorded as an
/// event so that the re-send, like every delivery, starts only from committed events.
/// </summary>
public sealed record WebhookDeliveryReplayRequested(Guid SubscriptionId, Guid DeliveryId, string RequestedBy, DateTimeOffset RequestedAt);

/// <summary>The write model of a webhook subscription.</summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Department Department { get; set; }
    public bool Cancelled { get; set; }

    public static WebhookSubscription Create(WebhookSubscribed e) => new() { Id = e.SubscriptionId, Department = e.Department };

    public void Apply(WebhookSubscriptionCancelled e) => Cancelled = true;
}
