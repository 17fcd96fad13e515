using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Notifications.Subscriptions;

public static class ListWebhookSubscriptionsEndpoint
{
    /// <summary>The caller's subscriptions (its department's, and its bank's where it is a bank), oldest first, cancelled ones included.</summary>
    [WolverineGet("/api/webhook-subscriptions"), Tags("Notifications")]
    [Authorize(Scopes.NotificationsManage)]
    public static async Task<IReadOnlyList<WebhookSubscriptionView>> Get(Caller caller, IQuerySession session, CancellationToken token) =>
        await session.Query<WebhookSubscriptionView>()
            .Where(s => s.Department == caller.Department && s.Organisation == caller.Organisation)
            .OrderBy(s => s.SubscribedAt).ThenBy(s => s.Id)
            .ToListAsync(token);
}

public static class GetWebhookSubscriptionEndpoint
{
    public static Task<WebhookSubscriptionView?> LoadAsync(Guid subscriptionId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<WebhookSubscriptionView>(subscriptionId, token);

    public static ProblemDetails Validate(Guid subscriptionId, WebhookSubscriptionView? subscription, Caller caller) =>
        !SubscriptionRules.Owns(caller, subscription)
            ? SubscriptionRules.NotFound(subscriptionId)
            : WolverineContinue.NoProblems;

    /// <summary>One of the caller's department's subscriptions.</summary>
    [WolverineGet("/api/webhook-subscriptions/{subscriptionId}"), Tags("Notifications")]
    [Authorize(Scopes.NotificationsManage)]
    public static WebhookSubscriptionView Get(Guid subscriptionId, WebhookSubscriptionView subscription) => subscription;
}
