using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Notifications.Subscriptions;

/// <summary>
/// Subscribe the caller's department to webhook notifications: Relief POSTs each committed event of
/// the listed kinds (empty or <c>["*"]</c>: every kind) to <c>url</c>, signed with <c>secret</c>.
/// </summary>
public sealed record SubscribeWebhook(string? Url, string? Secret, IReadOnlyList<string>? EventKinds);

public static class SubscribeWebhookEndpoint
{
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 200;
    public const int MaxUrlLength = 2000;

    public static ProblemDetails Validate(SubscribeWebhook command, NotificationOptions options, Caller caller)
    {
        // Deliveries are not filtered by township: a township-bound key would receive other townships' events.
        if (caller.Township is not null)
            return Problems.Forbidden($"This key is bound to the township '{caller.Township}'; webhooks carry the whole county's events, so only county-wide keys subscribe.");

        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(command.Url)) errors.Add("url", "is required.");
        else if (command.Url.Length > MaxUrlLength) errors.Add("url", $"is at most {MaxUrlLength} characters.");
        else if (!Uri.TryCreate(command.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            errors.Add("url", "is an absolute http or https URL.");
        else if (options.RequireHttps && uri.Scheme != Uri.UriSchemeHttps) errors.Add("url", "must use https.");
        else if (!string.IsNullOrEmpty(uri.UserInfo)) errors.Add("url", "must not carry a user name or password.");

        if (string.IsNullOrEmpty(command.Secret)) errors.Add("secret", "is required.");
        else if (command.Secret.Length is < MinSecretLength or > MaxSecretLength)
            errors.Add("secret", $"has {MinSecretLength} to {MaxSecretLength} characters.");

        var kinds = command.EventKinds ?? [];
        for (var i = 0; i < kinds.Count; i++)
        {
            if (kinds[i] != EventCatalogue.All && !EventCatalogue.Knows(kinds[i] ?? ""))
                errors.Add($"eventKinds[{i}]", $"'{kinds[i]}' is not an event kind Relief publishes; allowed: *, {string.Join(", ", EventCatalogue.Names)}.");
        }

        return errors.ToProblem();
    }

    /// <summary>
    /// The secret is stored encrypted under the master key and never returned. Deliveries start from
    /// the events committed after this subscription.
    /// </summary>
    [WolverinePost("/api/webhook-subscriptions"), Tags("Notifications")]
    [Authorize(Scopes.NotificationsManage)]
    public static (Created, IStartStream, IMartenOp) Post(SubscribeWebhook command, Caller caller, WebhookSecretBox secrets,
        DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var kinds = (command.EventKinds ?? []).Distinct().ToList();
        if (kinds.Contains(EventCatalogue.All)) kinds = [];
        var subscribed = new WebhookSubscribed(id, caller.Department, command.Url!, kinds, caller.Subject, now, caller.Organisation);
        return (new Created(id, 1, $"/api/webhook-subscriptions/{id}"),
            MartenOps.StartStream<WebhookSubscription>(id, subscribed),
            MartenOps.Store(secrets.Seal(id, command.Secret!)));
    }
}
