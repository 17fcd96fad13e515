using Marten;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Notifications.Targets;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;

namespace Relief.Api.Notifications;

/// <summary>
/// Department notifications (webhooks): their store, the subscription that fans recorded events out
/// to deliveries, the delivery client (it connects only through <see cref="WebhookTargets"/>, never
/// through a proxy, and follows no redirect), the durable local queue of <see cref="DeliverWebhook"/>,
/// and what a last failure does: the dead-letter queue. Retries and postponements are scheduled
/// messages the handler sends itself (<see cref="DeliverWebhookHandler"/>).
/// </summary>
public static class NotificationsModule
{
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureMarten(opts => opts.ConfigureNotifications());
        services.SubscribeToEventsWithServices<WebhookFanOut>(ServiceLifetime.Singleton);

        var options = NotificationOptions.From(builder.Configuration, builder.Environment);
        services.AddSingleton(options);
        services.AddSingleton(_ => WebhookSecretBox.From(builder.Configuration));
        services.LoadKeyRingAtStart<WebhookSecretBox>();
        services.AddSingleton<IWebhookNameResolver, DnsNameResolver>();
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<SubscriptionCircuits>();
        services.AddHttpClient(DeliverWebhookHandler.HttpClientName, client => client.Timeout = options.Timeout)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // A proxy would resolve and connect in our stead, past the address check.
                UseProxy = false,
                ConnectTimeout = options.Timeout,
                ConnectCallback = provider.GetRequiredService<WebhookTargets>().ConnectAsync,
            });

        services.ConfigureWolverine(opts =>
        {
            opts.PublishMessage<DeliverWebhook>().ToLocalQueue(NotificationsConfiguration.DeliveryQueue);
            opts.LocalQueue(NotificationsConfiguration.DeliveryQueue).UseDurableInbox().MaximumParallelMessages(NotificationsConfiguration.DeliverySlots);
            opts.Policies.OnException<WebhookDeliveryFailedException>().MoveToErrorQueue();
        });
        return builder;
    }
}
