using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Meeting;

/// <summary>
/// A link issued to one week's meeting pages, kept so that it can be listed and revoked. The link
/// itself (<see cref="MeetingLinkGrant"/>, protected) says all it grants; this record only says
/// whether it still may: a revoked or unknown link opens nothing.
/// </summary>
public sealed class MeetingLink
{
    public Guid Id { get; set; }
    public string Week { get; set; } = "";

    /// <summary>The township the link is bound to; null: the county.</summary>
    public string? Township { get; set; }

    public string IssuedBy { get; set; } = "";
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool OpensAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;
}

/// <summary>
/// What a link grants, inside the link (protected by ASP.NET Data Protection: encrypted and
/// authenticated, so that it cannot be read, forged or changed): one week's pages (<see cref="Scope"/>),
/// for the county or one township, read as a holder of <c>reports:read</c> without <c>pii:read</c>
/// (names masked), in one county, until <see cref="ExpiresAt"/>.
/// </summary>
public sealed record MeetingLinkGrant(Guid Id, string Week, string? Township, string County, string Scope, DateTimeOffset ExpiresAt);

/// <summary>Makes and reads the links: the protector, the query parameter, and the scheme that accepts them on the meeting's pages.</summary>
public static class MeetingLinks
{
    public const string Scheme = "MeetingLink";
    public const string Parameter = "link";
    public const string Credential = "meeting-link";

    /// <summary>The only scope a link carries: reading one week's meeting pages.</summary>
    public const string WeekPagesScope = "meeting:week";

    public const string LinkIdClaim = "meeting:link";
    public const string WeekClaim = "meeting:week";

    /// <summary>The protector's purpose: a token protected for another purpose (a cookie, a form token) is not a link.</summary>
    private const string Purpose = "Relief.Meeting.Link.v1";

    public static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector(Purpose);

    public static string Protect(IDataProtectionProvider provider, MeetingLinkGrant grant) =>
        Protector(provider).Protect(JsonSerializer.Serialize(grant));

    /// <summary>The grant a link holds, or why it holds none.</summary>
    public static (MeetingLinkGrant? Grant, string? Refusal) Read(IDataProtectionProvider provider, string token, DateTimeOffset now,
        string? week)
    {
        MeetingLinkGrant? grant;
        try
        {
            grant = JsonSerializer.Deserialize<MeetingLinkGrant>(Protector(provider).Unprotect(token));
        }
        catch (CryptographicException)
        {
            return (null, "The link is not one Relief issued, or it was changed.");
        }
        catch (JsonException)
        {
            return (null, "The link is not one Relief issued, or it was changed.");
        }

        if (grant is null || grant.Scope != WeekPagesScope) return (null, "The link grants no meeting page.");
        if (now >= grant.ExpiresAt) return (null, "The link has expired.");
        if (week is null || !string.Equals(week, grant.Week, StringComparison.Ordinal))
            return (null, $"The link opens the pages of {grant.Week} only.");
        return (grant, null);
    }

    /// <summary>The reader of a link: a report reader of the link's county and township, nothing more.</summary>
    public static ClaimsPrincipal PrincipalOf(MeetingLinkGrant grant)
    {
        List<Claim> claims =
        [
            new(ReliefClaims.Subject, $"link:{grant.Id}"),
            new(ClaimTypes.Name, $"link:{grant.Id}"),
            new(ReliefClaims.Department, nameof(Department.Audit)),
            new(ReliefClaims.Credential, Credential),
            new(ReliefClaims.County, grant.County),
            new(ReliefClaims.Scope, Scopes.ReportsRead),
            new(LinkIdClaim, grant.Id.ToString()),
            new(WeekClaim, grant.Week),
        ];
        if (grant.Township is not null) claims.Add(new Claim(ReliefClaims.Township, grant.Township));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}

/// <summary>
/// Accepts a link (<c>?link=…</c>) on the meeting's pages of the week it names, until it expires. The
/// API's scheme never reads it, so a link opens no API route. Revocation is checked by the pages, which
/// read the link's record in its county (<see cref="MeetingViewer"/>).
/// </summary>
public sealed class MeetingLinkHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDataProtectionProvider protection,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string RefusalItem = "meeting:link-refusal";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Query[MeetingLinks.Parameter].ToString();
        if (string.IsNullOrEmpty(token)) return Task.FromResult(AuthenticateResult.NoResult());

        var (grant, refusal) = MeetingLinks.Read(protection, token, clock.GetUtcNow(), Request.RouteValues["week"] as string);
        if (grant is null)
        {
            Context.Items[RefusalItem] = refusal;
            return Task.FromResult(AuthenticateResult.Fail(refusal!));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(MeetingLinks.PrincipalOf(grant), Scheme.Name)));
    }

    /// <summary>A link that opens nothing: a page that says why (401), never a redirect to the login.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        MeetingPages.WriteRefusal(Context, StatusCodes.Status401Unauthorized,
            Context.Items[RefusalItem] as string ?? "The link opens nothing.");
}
