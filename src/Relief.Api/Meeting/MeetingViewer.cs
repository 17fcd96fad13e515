using System.Text;
using System.Text.Encodings.Web;
using Marten;
using Relief.Api.Dispatch.Report;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Protection;

namespace Relief.Api.Meeting;

/// <summary>The browser paths of the meeting's pages.</summary>
public static class MeetingRoutes
{
    public const string Root = "/meeting";
    public const string Login = Root + "/login";
    public const string Logout = Root + "/logout";

    public static string Week(string week) => $"{Root}/{week}";

    public static string Township(string week, string township) => $"{Root}/{week}/townships/{township}";

    public static string List(string week, string list) => $"{Root}/{week}/lists/{list}";

    public static string Links(string week) => $"{Root}/{week}/links";
}

/// <summary>
/// Who reads a meeting page, and what follows from it: a staff session (an API key's scopes and
/// township) or a link (one week, one county or township, names masked). The same rules as the API:
/// the report's scope, the township binding; names of people in full only for a session holding
/// <c>pii:read</c>, masked to the family name otherwise (<see cref="PersonalDataMask.Name"/>).
/// </summary>
public sealed record MeetingViewer(Caller Caller, Guid? LinkId, string? LinkToken)
{
    public bool IsLink => LinkId is not null;

    /// <summary>Names in full: a staff session with <c>pii:read</c> only; never a link, which may be passed on.</summary>
    public bool SeesNames => !IsLink && Caller.Has(Scopes.PiiRead);

    /// <summary>A name as this reader may see it.</summary>
    public string Name(string name) => SeesNames ? name : PersonalDataMask.Name(name);

    /// <summary>May this reader open the pages of the township? A township-bound reader: its own only.</summary>
    public bool MayRead(string township) => Caller.MayTouchTownship(township);

    /// <summary>Issuing and revoking links: a staff session with <c>reports:read</c>.</summary>
    public bool MayIssueLinks => !IsLink && Caller.Has(Scopes.ReportsRead);

    public static MeetingViewer From(HttpContext context)
    {
        var caller = Caller.From(context);
        var link = Guid.TryParse(context.User.FindFirst(MeetingLinks.LinkIdClaim)?.Value, out var id) ? id : (Guid?)null;
        return new MeetingViewer(caller, link, link is null ? null : context.Request.Query[MeetingLinks.Parameter].ToString());
    }

    /// <summary>
    /// Why a link may not open a page now (revoked, or unknown in its county), or null: a session always may.
    /// Its expiry is in the link itself, checked when it is read (<see cref="MeetingLinks.Read"/>).
    /// </summary>
    public async Task<string?> RevocationAsync(IQuerySession session, CancellationToken token)
    {
        if (LinkId is not { } id) return null;
        var link = await session.LoadAsync<MeetingLink>(id, token);
        return link switch
        {
            null => "The link is not known here.",
            { RevokedAt: not null } => "The link was revoked.",
            _ => null,
        };
    }
}

/// <summary>
/// What every meeting page needs to write its links and its frame: the language, the reader (none on the
/// login page), the form token of its forms (a staff session's pages and the login page), the page's path and query.
/// </summary>
public sealed record MeetingFrame(ReportText Text, MeetingViewer? Viewer, string? FormToken, string Path, string? Query = null, string? Week = null)
{
    /// <summary>A staff session (not a link's reader, not the login page): it has the index, the links and the logout.</summary>
    public bool IsSession => Viewer is { IsLink: false } && FormToken is not null;

    /// <summary>A link to another meeting page that keeps the language and, for a link's reader, the link.</summary>
    public string Href(string path, params (string Name, string? Value)[] query)
    {
        var all = new List<(string Name, string? Value)>(query) { (ReportText.Parameter, Text.Code) };
        if (Viewer?.LinkToken is { Length: > 0 } link) all.Add((MeetingLinks.Parameter, link));
        var text = new StringBuilder(path);
        var first = !path.Contains('?', StringComparison.Ordinal);
        foreach (var (name, value) in all.Where(q => q.Value is not null))
        {
            text.Append(first ? '?' : '&').Append(UrlEncoder.Default.Encode(name)).Append('=').Append(UrlEncoder.Default.Encode(value!));
            first = false;
        }

        return text.ToString();
    }

    /// <summary>The same page in the other language.</summary>
    public string Switch()
    {
        var other = Text.Language == PageLanguage.English ? "zh" : "en";
        var kept = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query)
            .Where(q => q.Key != ReportText.Parameter && q.Key != MeetingLinks.Parameter)
            .Select(q => (q.Key, (string?)q.Value.ToString())).ToArray();
        return (this with { Text = ReportText.Of(other) }).Href(Path, kept);
    }
}
