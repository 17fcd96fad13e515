using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

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
        var directory = new TownshipDirectory(townships);
        services.AddSingleton(new ConfiguredTownships(directory));
        // Each request is given its county's townships (the registry's list, else the configured one).
        // (Wolverine's endpoints are given them by Tenancy.CountyTownshipsSource, the others by this registration.)
        services.AddScoped(provider =>
            provider.GetRequiredService<IHttpContextAccessor>().HttpContext?.Features.Get<Tenancy.County>()?.Townships ?? directory);
        var registry = Tenancy.CountyDirectory.RegistryIn(configuration);
        var signingKey = SigningKeyFrom(configuration);

        var keys = configuration.GetSection("Relief:ApiKeys").Get<List<ApiKeyOptions>>() ?? [];
        if (environment.IsDevelopment())
        {
            keys.AddRange(DevelopmentKeys.For(townships));
        }

        foreach (var key in keys)
        {
            // With the registry a county's townships are data: a key's township is checked against its county's when used.
            if ((Credentials.Refusal(key.Department.ToString(), key.Township, key.Organisation, registry ? null : directory)
                 ?? Credentials.RegionRefusal(key.Region, key.County, key.Township, key.Scopes)) is { } refusal)
                throw new InvalidOperationException($"API key '{key.Name}' cannot be accepted: {refusal} See Relief:ApiKeys in docs/operations.md.");
        }

        // With the county registry a key may name a county added later: it is 403 until then.
        var counties = Tenancy.CountyDirectory.CodesFrom(configuration);
        var elsewhere = registry
            ? null
            : keys.FirstOrDefault(k => k.County is not null && !counties.Contains(k.County));
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
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt["Issuer"],
                    ValidAudience = jwt["Audience"],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    // Pinned: a token signed with any other algorithm (or with none) is refused, whatever its header says.
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = ReliefClaims.Subject,
                    // Without a configured key no token can validate: bearer auth is simply off.
                    IssuerSigningKey = new SymmetricSecurityKey(signingKey ?? RandomNumberGenerator.GetBytes(MinSigningKeyBytes)),
                };
                o.Events = new JwtBearerEvents { OnTokenValidated = RefuseTokensThatSayTooLittle };
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

    /// <summary>HS256 needs a key of at least 256 bits (RFC 7518, 3.2).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>The bytes of <c>Relief:Jwt:SigningKey</c> (UTF-8), null when none is set; a short key stops the start.</summary>
    private static byte[]? SigningKeyFrom(IConfiguration configuration)
    {
        var configured = configuration["Relief:Jwt:SigningKey"];
        if (string.IsNullOrEmpty(configured)) return null;
        var bytes = Encoding.UTF8.GetBytes(configured);
        return bytes.Length >= MinSigningKeyBytes
            ? bytes
            : throw new InvalidOperationException(
                $"Relief:Jwt:SigningKey is {bytes.Length} bytes; HS256 needs at least {MinSigningKeyBytes} " +
                "(make one with `openssl rand -base64 48`), or leave it empty to turn bearer tokens off.");
    }

    /// <summary>
    /// The townships a credential's township is checked against as it authenticates: the configured
    /// ones; none with the county registry, where the caller's county is not known yet and
    /// <see cref="Tenancy.CountyMiddleware"/> checks it against that county's own.
    /// </summary>
    private static TownshipDirectory? TownshipsToCheckAtAuthentication(IServiceProvider services) =>
        services.GetRequiredService<Tenancy.CountyDirectory>().IsRegistry ? null : services.GetRequiredService<ConfiguredTownships>().Directory;

    /// <summary>A validly signed token must still say who its holder is: see <see cref="Credentials"/>.</summary>
    private static Task RefuseTokensThatSayTooLittle(TokenValidatedContext context)
    {
        var user = context.Principal!;
        string[] single = [ReliefClaims.Department, ReliefClaims.Township, ReliefClaims.Organisation, ReliefClaims.County, ReliefClaims.Region];
        var repeated = single.FirstOrDefault(claim => user.FindAll(claim).Skip(1).Any());
        var refusal = repeated is not null
            ? $"The token carries the '{repeated}' claim more than once."
            : Credentials.Refusal(user.FindFirstValue(ReliefClaims.Department), user.FindFirstValue(ReliefClaims.Township),
                  user.FindFirstValue(ReliefClaims.Organisation), TownshipsToCheckAtAuthentication(context.HttpContext.RequestServices))
              ?? Credentials.RegionRefusal(user.FindFirstValue(ReliefClaims.Region), user.FindFirstValue(ReliefClaims.County),
                  user.FindFirstValue(ReliefClaims.Township),
                  [.. user.FindAll(ReliefClaims.Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))]);
        if (refusal is not null) context.Fail(new CredentialRefusedException(refusal));
        return Task.CompletedTask;
    }
}
