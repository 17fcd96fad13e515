using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Meeting;

/// <summary>The meeting's settings (<c>Relief:Meeting</c>).</summary>
public sealed class MeetingOptions
{
    public const string Section = "Relief:Meeting";

    /// <summary>A session ends after this long without a page read.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A session ends this long after the login, however busy: a working day.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(10);

    /// <summary>How long a new link to one week's pages lasts unless its issuer asks for less.</summary>
    public TimeSpan DefaultLinkLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The longest a link may last.</summary>
    public TimeSpan MaxLinkLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Where the key ring that protects session cookies, forms and links is kept: a directory every node
    /// shares (and backs up). None: ASP.NET's default place for the user, and a restart in a container
    /// without a volume ends every session and link.
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>The address readers open Relief at (<c>https://relief.example.gov.cn</c>), written before the links a page gives; none: the request's own.</summary>
    public string? PublicOrigin { get; set; }
}

/// <summary>
/// A staff login to the meeting's pages: an API key typed into the login form is exchanged for a
/// session cookie (ASP.NET's cookie authentication: the ticket is encrypted and signed by Data
/// Protection). The cookie is <c>__Host-</c>, <c>Secure</c>, <c>HttpOnly</c>, <c>SameSite=Strict</c>,
/// a browser-session cookie; the session ends after <see cref="MeetingOptions.IdleTimeout"/> without a
/// read (sliding) and <see cref="MeetingOptions.AbsoluteTimeout"/> after the login, whatever happens. It
/// carries only the key's name and the login's time: each request reads the key's scopes and township
/// from configuration as they are then, and a key taken out of configuration ends its sessions.
/// The cookie is accepted by the meeting's pages only: the API's scheme never reads it. Each login is
/// a session with an id; the logout records its end in the county's database (<see cref="MeetingSessionEnded"/>),
/// so that a copy of the cookie taken before the logout opens nothing afterwards.
/// </summary>
public static class MeetingSessions
{
    public const string Scheme = "MeetingSession";
    public const string CookieName = "__Host-relief-meeting";
    public const string Credential = "meeting-session";
    public const string SignedInClaim = "meeting:signed-in";
    public const string SessionClaim = "meeting:session";

    public static void Configure(CookieAuthenticationOptions o, MeetingOptions options)
    {
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.Path = "/";
        o.Cookie.IsEssential = true;
        o.ExpireTimeSpan = options.IdleTimeout;
        o.SlidingExpiration = true;
        o.LoginPath = MeetingRoutes.Login;
        o.LogoutPath = MeetingRoutes.Logout;
        o.ReturnUrlParameter = "returnUrl";
        o.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = context => Revalidate(context, options),
            // To the login page by its path, not an address built from the request's host: right behind a reverse proxy.
            OnRedirectToLogin = context =>
            {
                context.Response.Redirect(Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute)
                    ? absolute.PathAndQuery
                    : context.RedirectUri);
                return Task.CompletedTask;
            },
            // A session that may not read a page is answered by the page (403), never redirected.
            OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>The principal of a login with this key at <paramref name="signedIn"/>: the key's claims, as the API key handler gives them.</summary>
    public static ClaimsPrincipal PrincipalOf(ApiKeyOptions key, DateTimeOffset signedIn, Guid session, Counties counties)
    {
        List<Claim> claims =
        [
            new(ReliefClaims.Subject, key.Name),
            new(ClaimTypes.Name, key.Name),
            new(ReliefClaims.Department, key.Department.ToString()),
            new(ReliefClaims.Credential, Credential),
            new(ReliefClaims.County, key.County ?? counties.Default.Code),
            new(SignedInClaim, signedIn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new(SessionClaim, session.ToString()),
            .. key.Scopes.Select(s => new Claim(ReliefClaims.Scope, s)),
        ];
        if (key.Township is not null) claims.Add(new Claim(ReliefClaims.Township, key.Township));
        if (key.Organisation is not null) claims.Add(new Claim(ReliefClaims.Organisation, key.Organisation));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static async Task<bool> EndedAsync(Counties counties, County county, Guid session, CancellationToken token)
    {
        await using var query = counties.QuerySession(county);
        return await query.LoadAsync<MeetingSessionEnded>(session, token) is not null;
    }

    /// <summary>May a key open a session? Only one that may read the report (<c>reports:read</c> or <c>households:read</c>).</summary>
    public static bool MayReadReport(ApiKeyOptions key) =>
        key.Scopes.Any(s => s is Scopes.ReportsRead or Scopes.HouseholdsRead or Scopes.Admin);

    /// <summary>
    /// Every request: the session ends when its key is gone, no longer reads the report, or the login is
    /// older than the absolute limit; otherwise it takes the key's claims as configured now.
    /// </summary>
    private static async Task Revalidate(CookieValidatePrincipalContext context, MeetingOptions options)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var name = context.Principal?.FindFirstValue(ReliefClaims.Subject);
        var key = name is null ? null : services.GetRequiredService<ApiKeyRegistry>().Named(name);
        var signedIn = long.TryParse(context.Principal?.FindFirstValue(SignedInClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        var id = Guid.TryParse(context.Principal?.FindFirstValue(SessionClaim), out var parsed) ? parsed : (Guid?)null;
        var counties = services.GetRequiredService<Counties>();
        var county = counties.Find(context.Principal?.FindFirstValue(ReliefClaims.County) ?? "");
        if (key is null || !MayReadReport(key) || signedIn is null || now - signedIn.Value >= options.AbsoluteTimeout || signedIn > now
            || id is null || county is null || await EndedAsync(counties, county, id.Value, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        context.ReplacePrincipal(PrincipalOf(key, signedIn.Value, id.Value, counties));
    }
}

/// <summary>
/// A session ended by its logout: its cookie opens nothing from then on, even a copy. Kept as long as a
/// session can live (<see cref="MeetingOptions.AbsoluteTimeout"/>); each logout clears older ones.
/// </summary>
public sealed class MeetingSessionEnded
{
    public Guid Id { get; set; }
    public string Subject { get; set; } = "";
    public DateTimeOffset EndedAt { get; set; }
}
