using JasperFx.Events.Projections;
using Marten;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Notifications.Subscriptions;
using Relief.Api.Notifications.Targets;

namespace Relief.Api.Notifications;

/// <summary>
/// Department notifications (webhooks). Configuration, under <c>Relief:Notifications</c>: see
/// <see cref="NotificationOptions"/> (https outside Development, the loopback allow-list of development
/// and tests, timeout, retry cooldowns, per-subscription concurrency and circuit breaker, the cap on a
/// department's subscriptions). Secrets are encrypted with the personal-data master keys
/// (<c>Relief:PersonalData</c>).
/// </summary>
public static class NotificationsConfiguration
{
    public const string DeliveryQueue = "webhooks";

    public static StoreOptions ConfigureNotifications(this StoreOptions opts)
    {
        opts.Projections.Add<WebhookSubscriptionViewProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<WebhookSubscriptionView>().Index(x => x.Department);
        opts.Schema.For<WebhookSecret>();
        opts.Schema.For<WebhookRoute>();
        opts.Schema.For<WebhookDelivery>().Index(x => x.Department).Index(x => x.SubscriptionId);
        return opts;
    }

    /// <summary>
    /// How many deliveries the node sends at once, whatever their subscription. A subscription takes at
    /// most <see cref="NotificationOptions.ConcurrencyPerSubscription"/> of them, so dead receivers can hold
    /// only a few, and only until their circuits open.
    /// </summary>
    public const int DeliverySlots = 8;
}
