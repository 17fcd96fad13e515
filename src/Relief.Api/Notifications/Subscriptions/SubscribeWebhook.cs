using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Notifications.Targets;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Notifications.Subscriptions;

/// <summary>
/// Subscribe the caller's department to webhook notifications: Relief POSTs each committed event of
/// the listed kinds (empty or <c>["*"]</c>: every kind) to <c>url</c>, signed with <c>secret</c>.
/// </summary>
public sealed record SubscribeWebhook(string? Url, string? Secret, IReadOnlyList<string>? EventKinds) : IHasExample<SubscribeWebhook>
{
    public static SubscribeWebhook Example { get; } = new("https://hrss.example.gov.cn/relief/webhooks", "a-long-random-shared-secret-0123456789", ["HouseholdRegistered", "CareAgreementSigned"]);
}

public static class SubscribeWebhookEndpoint
{
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 200;
    public const int MaxUrlLength = 2000;

    /// <summary>
    /// The request's own rules: a county-wide key, an absolute http(s) URL without credentials, a
    /// secret of the right length (a <c>whsec_</c> secret: 24 to 64 bytes of base64), known event kinds.
    /// </summary>
    public static ProblemDetails CheckRequest(SubscribeWebhook command, Caller caller)
    {
        // Deliveries are not filtered by township: a township-bound key would receive other townships' events.
        if (caller.Township is not null)
            return Problems.Forbidden($"This key is bound to the township '{caller.Township}'; webhooks carry the whole county's events, so only county-wide keys subscribe.");

        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(command.Url)) errors.Add("url", "is required.");
        else if (command.Url.Length > MaxUrlLength) errors.Add("url", $"is at most {MaxUrlLength} characters.");
        else if (!Uri.TryCreate(command.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            errors.Add("url", "is an absolute http or https URL.");
        else if (!string.IsNullOrEmpty(uri.UserInfo)) errors.Add("url", "must not carry a user name or password.");

        if (string.IsNullOrEmpty(command.Secret)) errors.Add("secret", "is required.");
        else if (command.Secret.Length is < MinSecretLength or > MaxSecretLength)
            errors.Add("secret", $"has {MinSecretLength} to {MaxSecretLength} characters.");
        else if (command.Secret.StartsWith(WebhookSignature.SecretPrefix, StringComparison.Ordinal)
                 && !(WebhookSignature.TryKeyOfStandardSecret(command.Secret, out var key) && key.Length is >= 24 and <= 64))
            errors.Add("secret", $"starting with '{WebhookSignature.SecretPrefix}' is followed by the base64 of 24 to 64 random bytes.");

        var kinds = command.EventKinds ?? [];
        for (var i = 0; i < kinds.Count; i++)
        {
            if (kinds[i] != EventCatalogue.All && !EventCatalogue.Knows(kinds[i] ?? ""))
                errors.Add($"eventKinds[{i}]", $"'{kinds[i]}' is not an event kind Relief publishes; allowed: *, {string.Join(", ", EventCatalogue.Names)}.");
        }

        return errors.ToProblem();
    }

    /// <summary>
    /// The request's rules, then the department's cap on active subscriptions (<c>409</c>), then where
    /// the URL goes: its host is resolved now and every address must be one Relief delivers to, and
    /// plain http is for Development (or an allow-listed loopback receiver) only.
    /// </summary>
    public static async Task<ProblemDetails> ValidateAsync(SubscribeWebhook command, Caller caller, NotificationOptions options,
        WebhookTargets targets, IQuerySession session, CancellationToken token)
    {
        var problem = CheckRequest(command, caller);
        if (problem != WolverineContinue.NoProblems) return problem;

        var active = await session.Query<WebhookSubscriptionView>()
            .CountAsync(s => s.Department == caller.Department && !s.Cancelled, token);
        if (active >= options.MaxSubscriptionsPerDepartment)
            return Problems.Conflict(ProblemTypes.Conflict, "Too many webhook subscriptions.",
                $"Your department has {active} active webhook subscriptions, the most it may hold ({options.MaxSubscriptionsPerDepartment}); cancel one first.");

        var errors = new FieldErrors();
        if (await targets.RefusalAsync(new Uri(command.Url!), token) is { } refusal) errors.Add("url", refusal);
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
        return (new Created(id, $"/api/webhook-subscriptions/{id}"),
            MartenOps.StartStream<WebhookSubscription>(id, subscribed),
            MartenOps.Store(secrets.Seal(id, command.Secret!)));
    }
}
