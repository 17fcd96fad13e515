using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Problems;

namespace Relief.Api.Infrastructure.Security;

/// <summary>Answers 401 and 403 as problem details that say what was missing.</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = $"{ApiKeyAuthenticationHandler.SchemeName}, Bearer";
            await ProblemDetailsSetup.WriteAsync(context, new ProblemDetails
            {
                Type = ProblemTypes.Unauthenticated,
                Title = "Authentication is required.",
                Detail = $"Send a valid key in {ApiKeyAuthenticationHandler.Header} or a bearer token.",
                Status = StatusCodes.Status401Unauthorized,
            });
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = policy.Requirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToArray();
            await ProblemDetailsSetup.WriteAsync(context, new ProblemDetails
            {
                Type = ProblemTypes.Forbidden,
                Title = "The caller lacks a required scope.",
                Detail = needed.Length > 0
                    ? $"This route needs the scope '{string.Join("', '", needed)}'."
                    : "The caller may not use this route.",
                Status = StatusCodes.Status403Forbidden,
            });
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
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
        if (scopes.Any(s => s == requirement.Scope || s == Scopes.Admin))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
