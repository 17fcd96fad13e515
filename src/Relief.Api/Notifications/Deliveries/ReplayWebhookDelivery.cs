using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Notifications.Subscriptions;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>What a replay answers: the re-send is queued under the same delivery id.</summary>
public sealed record ReplayQueued(Guid DeliveryId, Guid SubscriptionId, string Url) : AcceptResponse(Url), IHasExample<ReplayQueued>
{
    public static ReplayQueued Example { get; } = new(Guid.Parse("0191d3a2-7c4e-7000-8000-0000000000d1"), ExampleIds.Subscription,
        $"/api/webhook-deliveries?subscriptionId={ExampleIds.Subscription}");
}

public static class ReplayWebhookDeliveryEndpoint
{
    public static async Task<(WebhookDelivery?, WebhookSubscriptionView?)> LoadAsync(Guid deliveryId, IQuerySession session,
        CancellationToken token)
    {
        var delivery = await session.LoadAsync<WebhookDelivery>(deliveryId, token);
        var subscription = delivery is null ? null : await session.LoadAsync<WebhookSubscriptionView>(delivery.SubscriptionId, token);
        return (delivery, subscription);
    }

    public static ProblemDetails Validate(Guid deliveryId, WebhookDelivery? delivery, WebhookSubscriptionView? subscription,
        Caller caller)
    {
        // One bank never replays another's delivery: the subscription's organisation must be the caller's.
        if (delivery is null || delivery.Department != caller.Department
            || (subscription is not null && subscription.Organisation != caller.Organisation))
        {
            return Problems.NotFound("No such webhook delivery.", $"Your department has no webhook delivery {deliveryId}.");
        }

        if (subscription is null || subscription.Cancelled)
            return Problems.Conflict(ProblemTypes.Conflict, "The subscription is cancelled.",
                $"Delivery {deliveryId} belongs to a cancelled subscription; nothing can be sent to it any more.");
        if (delivery.Status == DeliveryStatus.Pending)
            return Problems.Conflict(ProblemTypes.Conflict, "The delivery is still pending.",
                $"Delivery {deliveryId} is queued or being retried; replay it once it is Failed or Delivered.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Send a delivery again, with the same delivery id and body (a receiver that already has it
    /// de-duplicates). The request is recorded as an event; the re-send starts once it is committed.
    /// </summary>
    [WolverinePost("/api/webhook-deliveries/{deliveryId}/replay"), Tags("Notifications")]
    [Authorize(Scopes.NotificationsManage)]
    // [NotBody]: without a request record, Wolverine would bind a complex parameter from the JSON body.
    public static (ReplayQueued, IMartenOp) Post(Guid deliveryId, [NotBody] WebhookDelivery delivery, [NotBody] Caller caller,
        DateTimeOffset now) =>
        (new ReplayQueued(deliveryId, delivery.SubscriptionId, $"/api/webhook-deliveries?subscriptionId={delivery.SubscriptionId}"),
            MartenOps.Append(delivery.SubscriptionId,
                new WebhookDeliveryReplayRequested(delivery.SubscriptionId, deliveryId, caller.Subject, now)));
}
