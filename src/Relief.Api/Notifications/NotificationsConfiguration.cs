using JasperFx.Events.Projections;
using Marten;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Notifications.Subscriptions;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Relief.Api.Notifications;

/// <summary>
/// Department notifications (webhooks). Configuration keys, under <c>Relief:Notifications</c>:
/// <c>RequireHttps</c> (always true in Production), <c>Timeout</c> (a TimeSpan, default 10 s) and
/// <c>RetryDelays</c> (TimeSpans, one retry each; default 5 s, 15 s, 45 s, 2 min).
/// Secrets are encrypted with the personal-data master keys (<c>Relief:PersonalData</c>).
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
    /// Services, the durable local queue of <see cref="DeliverWebhook"/> and its error policy:
    /// retry with the configured cooldowns, then the dead-letter queue.
    /// </summary>
    public static WolverineOptions ConfigureNotifications(this WolverineOptions opts, IConfiguration configuration,
        IHostEnvironment environment)
    {
        var options = NotificationOptions.From(configuration, environment);
        opts.Services.AddSingleton(options);
        opts.Services.AddSingleton(_ => WebhookSecretBox.From(configuration));
        opts.Services.LoadKeyRingAtStart<WebhookSecretBox>();
        opts.Services.AddHttpClient(DeliverWebhookHandler.HttpClientName, client => client.Timeout = options.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        opts.PublishMessage<DeliverWebhook>().ToLocalQueue(DeliveryQueue);
        opts.LocalQueue(DeliveryQueue).UseDurableInbox().MaximumParallelMessages(4);

        var failed = opts.Policies.OnException<WebhookDeliveryFailed>();
        if (options.RetryDelays.Length > 0) failed.RetryWithCooldown(options.RetryDelays).Then.MoveToErrorQueue();
        else failed.MoveToErrorQueue();
        return opts;
    }
}
