using System.Diagnostics.CodeAnalysis;
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
    /// <summary>64 bytes: long enough for HS512 too, so that tests can sign with other algorithms and see them refused.</summary>
    public const string SigningKey = "test-signing-key-64-bytes-long-enough-for-any-hmac-algorithm-000";

    public static string Issue(string subject, string department, string scopes, string? township = null,
        string signingKey = SigningKey, DateTime? expires = null, string? county = null, string? organisation = null,
        string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var claims = new List<Claim> { new("sub", subject), new("department", department), new("scope", scopes) };
        if (township is not null) claims.Add(new Claim("township", township));
        if (county is not null) claims.Add(new Claim("county", county));
        if (organisation is not null) claims.Add(new Claim("org", organisation));
        var credentials = new SigningCredentials(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), algorithm);
        var until = expires ?? DateTime.UtcNow.AddHours(1);
        var token = new JwtSecurityToken(Issuer, Audience, claims, until.AddHours(-2), until, credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    /// <summary>The same token as <see cref="Issue"/> would make, unsigned: header <c>{"alg":"none"}</c> and an empty signature.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name",
        Justification = "Unsigned as in a JWT without a signature, not the unsigned integer type.")]
    public static string Unsigned(string subject, string department, string scopes)
    {
        var signed = Issue(subject, department, scopes).Split('.');
        return $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{signed[1]}.";
    }
}
