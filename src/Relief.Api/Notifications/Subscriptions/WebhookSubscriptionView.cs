using Marten.Events.Aggregation;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Audit.Corrections;

namespace Relief.Api.Notifications.Subscriptions;

/// <summary>A webhook subscription as its department reads it (the secret is never shown).</summary>
public sealed class WebhookSubscriptionView
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Department Department { get; set; }

    /// <summary>Which member of the department (which bank) it belongs to, where the department has several.</summary>
    public string? Organisation { get; set; }

    public string Url { get; set; } = "";
    public IReadOnlyList<string> EventKinds { get; set; } = [];
    public string SubscribedBy { get; set; } = "";
    public DateTimeOffset SubscribedAt { get; set; }
    public bool Cancelled { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
}

/// <summary>Inline: a subscription is listed right after it is made.</summary>
public sealed partial class WebhookSubscriptionViewProjection : SingleStreamProjection<WebhookSubscriptionView, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, WebhookSubscriptionView view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static WebhookSubscriptionView? Create(EntryVoided e) => null;

    public static WebhookSubscriptionView Create(WebhookSubscribed e) => new()
    {
        Id = e.SubscriptionId, Department = e.Department, Organisation = e.Organisation, Url = e.Url, EventKinds = e.EventKinds,
        SubscribedBy = e.SubscribedBy, SubscribedAt = e.SubscribedAt,
    };

    public static void Apply(WebhookSubscriptionCancelled e, WebhookSubscriptionView view)
    {
        view.Cancelled = true;
        view.CancelledAt = e.CancelledAt;
    }
}
