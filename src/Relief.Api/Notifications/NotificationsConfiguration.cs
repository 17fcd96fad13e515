using JasperFx.Events.Projections;
using Marten;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Notifications.Subscriptions;
using Relief.Api.Notifications.Targets;
using Wolverine;
using Wolverine.ErrorHandling;

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

    /// <summary>
    /// Services (the delivery client connects only through <see cref="WebhookTargets"/>, never through a
    /// proxy, and follows no redirect), the durable local queue of <see cref="DeliverWebhook"/>, and what a
    /// last failure does: the dead-letter queue. Retries and postponements are scheduled messages the
    /// handler sends itself (<see cref="DeliverWebhookHandler"/>).
    /// </summary>
    public static WolverineOptions ConfigureNotifications(this WolverineOptions opts, IConfiguration configuration,
        IHostEnvironment environment)
    {
        var options = NotificationOptions.From(configuration, environment);
        opts.Services.AddSingleton(options);
        opts.Services.AddSingleton(_ => WebhookSecretBox.From(configuration));
        opts.Services.LoadKeyRingAtStart<WebhookSecretBox>();
        opts.Services.AddSingleton<IWebhookNameResolver, DnsNameResolver>();
        opts.Services.AddSingleton<WebhookTargets>();
        opts.Services.AddSingleton<SubscriptionCircuits>();
        opts.Services.AddHttpClient(DeliverWebhookHandler.HttpClientName, client => client.Timeout = options.Timeout)
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // A proxy would resolve and connect in our stead, past the address check.
                UseProxy = false,
                ConnectTimeout = options.Timeout,
                ConnectCallback = services.GetRequiredService<WebhookTargets>().ConnectAsync,
            });

        opts.PublishMessage<DeliverWebhook>().ToLocalQueue(DeliveryQueue);
        opts.LocalQueue(DeliveryQueue).UseDurableInbox().MaximumParallelMessages(DeliverySlots);
        opts.Policies.OnException<WebhookDeliveryFailed>().MoveToErrorQueue();
        return opts;
    }
}
