using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Relief.Api.Tests.Support;

/// <summary>Bearer tokens as the test deployment's identity provider would issue them.</summary>
public static class Tokens
{
    public const string Issuer = "https://idp.wuzhi.test";
    public const string Audience = "relief";
    public const string SigningKey = "test-signing-key-of-at-least-32-bytes-long!";

    public static string Issue(string subject, string department, string scopes, string? township = null,
        string signingKey = SigningKey, DateTime? expires = null, string? county = null)
    {
        var claims = new List<Claim> { new("sub", subject), new("department", department), new("scope", scopes) };
        if (township is not null) claims.Add(new Claim("township", township));
        if (county is not null) claims.Add(new Claim("county", county));
        var credentials = new SigningCredentials(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256);
        var until = expires ?? DateTime.UtcNow.AddHours(1);
        var token = new JwtSecurityToken(Issuer, Audience, claims, until.AddHours(-2), until, credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
