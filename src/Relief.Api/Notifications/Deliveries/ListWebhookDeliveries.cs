using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

using Relief.Api.Notifications.Subscriptions;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>A delivery as its department reads it.</summary>
public sealed record WebhookDeliveryItem(
    Guid DeliveryId,
    Guid SubscriptionId,
    string Url,
    long EventSequence,
    string EventType,
    DeliveryStatus Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? DeliveredAt);

public static class ListWebhookDeliveriesEndpoint
{
    public static ProblemDetails Validate(string? status, string? subscriptionId, string? limit)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateEnum<DeliveryStatus>("status", status, errors);
        if (subscriptionId is not null && !Guid.TryParse(subscriptionId, out _)) errors.Add("subscriptionId", "is not an id.");
        QueryValues.ValidatePaging(null, limit, errors);
        return errors.ToProblem();
    }

    /// <summary>
    /// The deliveries of the subscriptions the caller's department and organisation made (one bank
    /// never sees another's), newest event first, optionally by <c>status</c> (Pending, Delivered,
    /// Failed) and <c>subscriptionId</c>; at most <c>limit</c> (default 50).
    /// </summary>
    [WolverineGet("/api/webhook-deliveries"), Tags("Notifications")]
    [Authorize(Scopes.NotificationsManage)]
    public static async Task<IReadOnlyList<WebhookDeliveryItem>> Get([Query(OneOf = typeof(DeliveryStatus))] string? status, string? subscriptionId, string? limit,
        Caller caller, IQuerySession session, CancellationToken token)
    {
        var owned = (await session.Query<WebhookSubscriptionView>()
                .Where(s => s.Department == caller.Department && s.Organisation == caller.Organisation)
                .Select(s => s.Id).ToListAsync(token)).ToArray();
        var query = session.Query<WebhookDelivery>().Where(d => d.Department == caller.Department && owned.Contains(d.SubscriptionId));
        if (QueryValues.Enum<DeliveryStatus>(status) is { } wanted) query = query.Where(d => d.Status == wanted);
        if (subscriptionId is not null)
        {
            var id = Guid.Parse(subscriptionId);
            query = query.Where(d => d.SubscriptionId == id);
        }

        var deliveries = await query.OrderByDescending(d => d.EventSequence).ThenBy(d => d.Id)
            .Take(QueryValues.Limit(limit)).ToListAsync(token);
        return deliveries.Select(d => new WebhookDeliveryItem(d.Id, d.SubscriptionId, d.Url, d.EventSequence, d.EventType,
            d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.LastAttemptAt, d.DeliveredAt)).ToList();
    }
}
