using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using Relief.Api.Households;

namespace Relief.Api.Infrastructure.Security;

/// <summary>
/// Two ways in: API keys for department systems, JWT bearer tokens where a deployment has an
/// identity provider. Every endpoint needs an authenticated caller unless it says otherwise, and
/// each route names the scope it needs (<c>[Authorize(Scopes.HouseholdsWrite)]</c>).
/// </summary>
public static class SecuritySetup
{
    private const string Selector = "ApiKeyOrBearer";

    public static IServiceCollection AddReliefSecurity(this IServiceCollection services,
        IConfiguration configuration, IHostEnvironment environment)
    {
        var townships = configuration.GetSection("Relief:Townships").Get<List<Township>>() ?? [];
        services.AddSingleton(new TownshipDirectory(townships));

        var keys = configuration.GetSection("Relief:ApiKeys").Get<List<ApiKeyOptions>>() ?? [];
        if (environment.IsDevelopment())
        {
            keys.AddRange(DevelopmentKeys.For(townships));
        }

        var unbound = keys.FirstOrDefault(k => k.Department == Department.Township && string.IsNullOrEmpty(k.Township));
        if (unbound is not null)
        {
            throw new InvalidOperationException(
                $"API key '{unbound.Name}' belongs to a township but names none: set Relief:ApiKeys:…:Township.");
        }

        var counties = Tenancy.CountyDirectory.CodesFrom(configuration);
        var elsewhere = keys.FirstOrDefault(k => k.County is not null && !counties.Contains(k.County));
        if (elsewhere is not null)
        {
            throw new InvalidOperationException(
                $"API key '{elsewhere.Name}' belongs to county {elsewhere.County}, which is not served here: see {Tenancy.CountyDirectory.Section}.");
        }

        services.AddSingleton(new ApiKeyRegistry(keys));

        var ownership = configuration.GetSection("Relief:Ownership").Get<Dictionary<string, Department[]>>() ?? [];
        services.AddSingleton(new OwnershipTable(ownership));
        services.AddSingleton<IAuthorizationHandler, OwnershipHandler>();
        services.AddHttpContextAccessor();

        var jwt = configuration.GetSection("Relief:Jwt");
        services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                var signingKey = jwt["SigningKey"];
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt["Issuer"],
                    ValidAudience = jwt["Audience"],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireSignedTokens = true,
                    NameClaimType = ReliefClaims.Subject,
                    // Without a configured key no token can validate: bearer auth is simply off.
                    IssuerSigningKey = string.IsNullOrEmpty(signingKey)
                        ? new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))
                        : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)),
                };
            });

        services.AddAuthorization(o =>
        {
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            foreach (var scope in Scopes.All)
            {
                o.AddPolicy(scope, p => p.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)));
            }

            foreach (var policy in Owns.All)
            {
                o.AddPolicy(policy, p => p.RequireAuthenticatedUser().AddRequirements(new OwnershipRequirement(Owns.FactOf(policy))));
            }
        });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler,
            ProblemAuthorizationResultHandler>();
        return services;
    }
}
