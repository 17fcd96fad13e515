using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Relief.Api.Infrastructure.Json;
using Relief.Core.Protection;
using Relief.Api.Infrastructure.Security;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>
/// Where one subscription's deliveries go, as the fan-out knows it. Only <see cref="WebhookFanOut"/>
/// writes it, in event order, so a subscription receives exactly the events committed after it and
/// before its cancellation.
/// </summary>
public sealed class WebhookRoute
{
    public Guid Id { get; set; }
    public Department Department { get; set; }
    public string Url { get; set; } = "";
    public IReadOnlyList<string> EventKinds { get; set; } = [];
}

/// <summary>
/// The Marten event subscription (run by the async daemon) that turns committed events into
/// deliveries: for each event of the catalogue and each matching subscription, a
/// <see cref="WebhookDelivery"/> document and a durable <see cref="DeliverWebhook"/> message.
/// <para>
/// Why this is safe with idempotent HTTP requests (README, "Idempotency through an ambient
/// PostgreSQL transaction"): the daemon reads only committed events, so a request's events are seen
/// here only after its outer transaction committed, and never if it rolled back. The documents and
/// the outgoing messages are written in the daemon's own transaction together with the subscription's
/// progress (Wolverine's outbox): a crash re-processes the page and re-sends under the same delivery
/// ids (at least once), and never loses one.
/// </para>
/// <para>
/// Deliveries are created in event order but sent in parallel and retried independently: a receiver
/// orders by <c>eventSequence</c> and de-duplicates by <c>deliveryId</c>.
/// </para>
/// </summary>
public sealed class WebhookFanOut : BatchSubscription
{
    public const string Name = "WebhookFanOut";

    private static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>
    /// Members never sent to a receiver, even though events hold them only sealed or hashed: a person's
    /// sealed record and sealed name, and (in events written before records were sealed whole) the
    /// resident ID, its blind index and the phone.
    /// </summary>
    private static readonly HashSet<string> PersonalFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "personal", "memberName", "residentId", "residentIdIndex", "phone",
    };

    private readonly TimeProvider _clock;

    public WebhookFanOut(TimeProvider clock) : base(Name)
    {
        _clock = clock;
        foreach (var type in EventCatalogue.Types) IncludeType(type);
        IncludeType<WebhookSubscribed>();
        IncludeType<WebhookSubscriptionCancelled>();
        IncludeType<WebhookDeliveryReplayRequested>();
        // A closed household's stream is archived right after HouseholdClosed: still deliver it.
        IncludeArchivedEvents = true;
    }

    public override Task ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken) =>
        FanOutAsync(page.Events, operations, bus, cancellationToken);

    /// <summary>
    /// One page of events: keeps the routes in step with the subscriptions, and stores and publishes a
    /// delivery for each event a route wants (never twice: a rewound subscription sees events again).
    /// </summary>
    public async Task FanOutAsync(IReadOnlyList<IEvent> events, IDocumentOperations operations, IMessageBus bus,
        CancellationToken cancellationToken)
    {
        var routes = (await operations.Query<WebhookRoute>().ToListAsync(cancellationToken)).ToDictionary(r => r.Id);
        var now = _clock.GetUtcNow();

        foreach (var e in events)
        {
            switch (e.Data)
            {
                case WebhookSubscribed subscribed:
                    var route = new WebhookRoute
                    {
                        Id = subscribed.SubscriptionId, Department = subscribed.Department, Url = subscribed.Url,
                        EventKinds = subscribed.EventKinds,
                    };
                    routes[route.Id] = route;
                    operations.Store(route);
                    break;

                case WebhookSubscriptionCancelled cancelled:
                    routes.Remove(cancelled.SubscriptionId);
                    operations.Delete<WebhookRoute>(cancelled.SubscriptionId);
                    break;

                case WebhookDeliveryReplayRequested replay:
                    var delivery = await operations.LoadAsync<WebhookDelivery>(replay.DeliveryId, cancellationToken);
                    if (delivery is null) break;
                    delivery.Status = DeliveryStatus.Pending;
                    delivery.SeriesAttempts = 0;
                    operations.Store(delivery);
                    await bus.PublishAsync(new DeliverWebhook(delivery.Id, delivery.SubscriptionId, delivery.EventSequence,
                        delivery.EventType, delivery.Body));
                    break;

                default:
                    var kind = EventCatalogue.NameOf(e.EventType);
                    if (kind is null) break;
                    foreach (var target in routes.Values.Where(r => EventCatalogue.Wants(r.EventKinds, kind)))
                    {
                        var message = Deliver(target, e, kind);
                        // Already fanned out: the subscription is being replayed (`projections rebuild`
                        // rewinds it too). Departments are never sent the history again.
                        if (await operations.LoadAsync<WebhookDelivery>(message.DeliveryId, cancellationToken) is not null) continue;
                        operations.Store(new WebhookDelivery
                        {
                            Id = message.DeliveryId, SubscriptionId = target.Id, Department = target.Department,
                            Url = target.Url, EventSequence = e.Sequence, EventType = kind, Body = message.Body,
                            Status = DeliveryStatus.Pending, CreatedAt = now,
                        });
                        await bus.PublishAsync(message);
                    }

                    break;
            }
        }
    }

    /// <summary>The message, and the exact body the receiver gets (signed as sent).</summary>
    public static DeliverWebhook Deliver(WebhookRoute route, IEvent e, string kind)
    {
        var deliveryId = WebhookSignature.DeliveryId(route.Id, e.Sequence);
        var body = new JsonObject
        {
            ["deliveryId"] = deliveryId,
            ["subscriptionId"] = route.Id,
            ["eventType"] = kind,
            ["eventSequence"] = e.Sequence,
            ["streamId"] = e.StreamId,
            ["recordedAt"] = e.Timestamp,
            ["data"] = Payload(e.Data),
        };
        return new DeliverWebhook(deliveryId, route.Id, e.Sequence, kind, body.ToJsonString(Json));
    }

    /// <summary>
    /// The event as JSON without any resident ID, its blind index or phone number (not even encrypted),
    /// and with birth dates cut to their year: a receiver holds no <c>pii:read</c>, so the body follows
    /// the mask's rule (<see cref="PersonalDataMask"/>).
    /// </summary>
    public static JsonNode? Payload(object data)
    {
        var node = JsonSerializer.SerializeToNode(data, data.GetType(), Json);
        Strip(node);
        PersonalDataMask.BirthDatesToYears(node);
        return node;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                // A sealed value (written as null by SealedValuesAsNull) goes nowhere, not even as ciphertext.
                foreach (var name in obj.Where(p => p.Value is null || PersonalFields.Contains(p.Key)).Select(p => p.Key).ToList())
                    obj.Remove(name);
                foreach (var (_, child) in obj) Strip(child);
                break;
            case JsonArray array:
                foreach (var child in array) Strip(child);
                break;
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        ReliefJson.Configure(options);
        options.Converters.Add(new SealedValuesAsNull());
        return options;
    }

    /// <summary>
    /// Every sealed value (a name, an address, a note; and a legacy one recorded in clear) as JSON
    /// null, which <see cref="Strip"/> then removes: a receiver holds no key, and no <c>pii:read</c>.
    /// </summary>
    private sealed class SealedValuesAsNull : JsonConverter<ProtectedValue>
    {
        public override ProtectedValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Webhook bodies are only written.");

        public override void Write(Utf8JsonWriter writer, ProtectedValue value, JsonSerializerOptions options) => writer.WriteNullValue();
    }
}
