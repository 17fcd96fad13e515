using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;

namespace Relief.Api.Infrastructure.Security;

/// <summary>Answers 401 and 403 as problem details that say what was missing (on the API; see <see cref="HandleAsync"/>).</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        PolicyAuthorizationResult authorizeResult)
    {
        // A policy that names its own schemes (the meeting's pages: a session cookie, a link) is answered as
        // those schemes answer (a redirect to their login page); every API route's policy names none.
        if (policy.AuthenticationSchemes.Count > 0)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (authorizeResult.Challenged)
        {
            await ChallengeAsync(context);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            await ProblemDetailsSetup.WriteAsync(context, Forbidden(context, authorizeResult));
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>
    /// 401 as problem details. A credential that was valid but said too little of its holder (see
    /// <see cref="Credentials"/>) is told what it lacks; any other failure only that it failed.
    /// </summary>
    public static async Task ChallengeAsync(HttpContext context)
    {
        // The handlers keep the request's result: this does not authenticate a second time.
        var failure = (await context.AuthenticateAsync()).Failure;
        context.Response.Headers.WWWAuthenticate = $"{ApiKeyAuthenticationHandler.SchemeName}, Bearer";
        await ProblemDetailsSetup.WriteAsync(context, new ProblemDetails
        {
            Type = ProblemTypes.Unauthenticated,
            Title = "Authentication is required.",
            Detail = failure is CredentialRefusedException refused
                ? refused.Message
                : $"Send a valid key in {ApiKeyAuthenticationHandler.Header} or a bearer token.",
            Status = StatusCodes.Status401Unauthorized,
        });
    }

    private static ProblemDetails Forbidden(HttpContext context, PolicyAuthorizationResult result)
    {
        var failed = result.AuthorizationFailure?.FailedRequirements.ToList() ?? [];
        var scope = failed.OfType<ScopeRequirement>().FirstOrDefault();
        var fact = failed.OfType<OwnershipRequirement>().FirstOrDefault();
        var (title, detail) = (scope, fact) switch
        {
            ({ } s, _) => ("The caller lacks a required scope.", $"This route needs the scope '{s.Scope}'."),
            (_, { } f) => ("The caller's department does not own this fact.",
                $"'{f.Fact}' may be recorded only by: " +
                string.Join(", ", context.RequestServices.GetRequiredService<OwnershipTable>().OwnersOf(f.Fact)) + "."),
            _ => ("Forbidden.", "The caller may not use this route."),
        };
        return new ProblemDetails
        {
            Type = ProblemTypes.Forbidden, Title = title, Detail = detail, Status = StatusCodes.Status403Forbidden,
        };
    }
}

/// <summary>The caller holds the scope, or <c>admin</c>. Evaluated by ASP.NET's pass-through handler.</summary>
public sealed class ScopeRequirement(string scope)
    : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var scopes = context.User.FindAll(ReliefClaims.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // admin holds every scope of its county, never one above a county (counties:admin, reports:region).
        if (scopes.Any(s => Scopes.Grants(s, requirement.Scope)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
