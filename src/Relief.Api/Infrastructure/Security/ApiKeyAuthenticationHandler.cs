using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Relief.Api.Infrastructure.Security;

/// <summary>Authenticates department systems by the key in <c>X-Api-Key</c>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry registry) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = registry.Find(presented);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        List<Claim> claims =
        [
            new(ReliefClaims.Subject, key.Name),
            new(ClaimTypes.Name, key.Name),
            new(ReliefClaims.Department, key.Department.ToString()),
            new(ReliefClaims.Credential, "api-key"),
            .. key.Scopes.Select(s => new Claim(ReliefClaims.Scope, s)),
        ];
        if (key.Township is not null) claims.Add(new Claim(ReliefClaims.Township, key.Township));
        if (key.County is not null) claims.Add(new Claim(ReliefClaims.County, key.County));
        if (key.Region is not null) claims.Add(new Claim(ReliefClaims.Region, key.Region));
        if (key.Organisation is not null) claims.Add(new Claim(ReliefClaims.Organisation, key.Organisation));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
