using Relief.Api.Infrastructure.OpenApi;
using System.Diagnostics.CodeAnalysis;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Notifications.Subscriptions;

/// <summary>What a cancellation answers.</summary>
public sealed record SubscriptionCancelled(Guid SubscriptionId, bool Cancelled) : IHasExample<SubscriptionCancelled>
{
    public static SubscriptionCancelled Example { get; } = new(ExampleIds.Subscription, true);
}

public static class CancelWebhookSubscriptionEndpoint
{
    public static Task<WebhookSubscriptionView?> LoadAsync(Guid subscriptionId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<WebhookSubscriptionView>(subscriptionId, token);

    public static ProblemDetails Validate(Guid subscriptionId, WebhookSubscriptionView? subscription, Caller caller) =>
        !SubscriptionRules.Owns(caller, subscription)
            ? SubscriptionRules.NotFound(subscriptionId)
            : subscription.Cancelled
                ? Problems.Conflict(ProblemTypes.Conflict, "The subscription is already cancelled.",
                    $"Webhook subscription {subscriptionId} was cancelled at {subscription.CancelledAt:O}.")
                : WolverineContinue.NoProblems;

    /// <summary>
    /// Cancel one of the department's subscriptions: nothing more is delivered to it and its secret is
    /// forgotten. It needs no version: it does not depend on anything the caller read.
    /// </summary>
    [WolverinePost("/api/webhook-subscriptions/{subscriptionId}/cancellation"), Tags("Notifications")]
    [Authorize(Scopes.NotificationsManage)]
    // [NotBody]: a POST without a request record would otherwise bind its first complex parameter,
    // the caller, from the JSON body (an empty body would make anyone the PovertyAlleviationOffice).
    public static (SubscriptionCancelled, IMartenOp, IMartenOp) Post(Guid subscriptionId, [NotBody] Caller caller, DateTimeOffset now) =>
        (new SubscriptionCancelled(subscriptionId, true),
            MartenOps.Append(subscriptionId, new WebhookSubscriptionCancelled(subscriptionId, caller.Subject, now)),
            MartenOps.Delete<WebhookSecret>(subscriptionId));
}

/// <summary>
/// A department sees only its own subscriptions, and a member of a department (a bank) only its own
/// member's: another's is "not found", never "forbidden".
/// </summary>
public static class SubscriptionRules
{
    public static bool Owns(Caller caller, [NotNullWhen(true)] WebhookSubscriptionView? subscription) =>
        subscription is not null && subscription.Department == caller.Department && subscription.Organisation == caller.Organisation;

    public static ProblemDetails NotFound(Guid subscriptionId) => Problems.NotFound("No such webhook subscription.", $"Your department has no webhook subscription {subscriptionId}.");
}
