using System.Net;
using System.Text.RegularExpressions;
using Marten;

namespace Relief.Api.Tests.Meeting;

/// <summary>
/// Read-only links to one week's pages: issued by a session with reports:read through a form, opened with
/// nothing else, refused when expired, changed, revoked or used for another week; never a key to the API.
/// </summary>
public sealed partial class MeetingLinkTests(AppFixture fixture) : ApiTest(fixture)
{
    private string Week => Relief.Core.Calendar.ChinaTime.WeekOf(Clock.GetUtcNow()).ToString();

    /// <summary>Issues a link to this week's pages through the links page's form; answers its path and query.</summary>
    private async Task<string> IssuedLink(string key = Keys.Reports, string township = "", string hours = "24", string? week = null)
    {
        week ??= Week;
        var browser = await new MeetingBrowser(Host).SignedIn(key);
        var token = await browser.Token($"/meeting/{week}/links");
        var issued = await browser.Post($"/meeting/{week}/links", [new("__csrf", token), new("township", township), new("hours", hours), new("lang", "zh")]);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var url = IssuedUrl().Match(await issued.Content.ReadAsStringAsync()).Groups[1].Value;
        return new Uri(WebUtility.HtmlDecode(url)).PathAndQuery;
    }

    private async Task Reported()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.RegisteredHousehold(Requests.Household("sanyang"));
        await Api.ProjectionsCaughtUp();
    }

    [Fact]
    public async Task A_link_opens_its_weeks_pages_with_nothing_else()
    {
        await Reported();
        var link = await IssuedLink();
        Assert.StartsWith($"/meeting/{Week}?lang=zh&link=", link);

        var reader = new MeetingBrowser(Host);
        var county = await reader.Get(link);
        Assert.Equal(HttpStatusCode.OK, county.StatusCode);
        var page = await county.Content.ReadAsStringAsync();
        // Every link on the page keeps the link (and the language), so the reader can go on.
        var township = Href().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .First(h => h.StartsWith($"/meeting/{Week}/townships/sanyang", StringComparison.Ordinal));
        Assert.Contains("link=", township);
        Assert.Equal(HttpStatusCode.OK, (await reader.Get(township)).StatusCode);
        var list = Href().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .First(h => h.StartsWith($"/meeting/{Week}/lists/households-without-agreement", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await reader.Get(list)).StatusCode);
        Assert.Empty(reader.Cookies);
    }

    [Fact]
    public async Task An_expired_link_is_refused()
    {
        await Reported();
        var link = await IssuedLink(hours: "2");
        Clock.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(HttpStatusCode.OK, (await new MeetingBrowser(Host).Get(link)).StatusCode);
        Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await new MeetingBrowser(Host).Get(link);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("The link has expired.", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_changed_link_is_refused()
    {
        await Reported();
        var link = await IssuedLink();
        var at = link.IndexOf("link=", StringComparison.Ordinal) + 20;
        var changed = link[..at] + (link[at] == 'A' ? 'B' : 'A') + link[(at + 1)..];
        Assert.Equal(HttpStatusCode.Unauthorized, (await new MeetingBrowser(Host).Get(changed)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new MeetingBrowser(Host).Get($"/meeting/{Week}?link=not-a-link")).StatusCode);
    }

    [Fact]
    public async Task A_link_opens_no_other_week()
    {
        await Reported();
        Clock.Advance(TimeSpan.FromDays(7));
        await Api.RegisteredHousehold(Requests.Household("sanyang"));
        await Api.ProjectionsCaughtUp();
        var link = await IssuedLink();
        var token = link[(link.IndexOf("link=", StringComparison.Ordinal) + 5)..];
        var previous = Relief.Core.Calendar.IsoWeek.Parse(Week).Previous().ToString();

        Assert.Equal(HttpStatusCode.OK, (await new MeetingBrowser(Host).Get($"/meeting/{Week}?link={token}")).StatusCode);
        var other = await new MeetingBrowser(Host).Get($"/meeting/{previous}?link={token}");
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new MeetingBrowser(Host).Get($"/meeting/{previous}/townships/sanyang?link={token}")).StatusCode);
    }

    [Fact]
    public async Task A_link_is_no_key_to_the_API_nor_to_the_sessions_pages()
    {
        await Reported();
        var link = await IssuedLink();
        var token = link[(link.IndexOf("link=", StringComparison.Ordinal) + 5)..];

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{Week}?link={token}", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{Week}.html?link={token}", key: null)).StatusCode);
        var write = await Send(HttpMethod.Post, $"/api/households?link={token}", Requests.Household().ToJsonString(), key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal(2, await Store.QuerySession().Query<HouseholdDetails>().CountAsync());

        var reader = new MeetingBrowser(Host);
        Assert.Equal(HttpStatusCode.Redirect, (await reader.Get($"/meeting?link={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await reader.Get($"/meeting/{Week}/links?link={token}")).StatusCode);
        var issue = await reader.Post($"/meeting/{Week}/links?link={token}", [new("hours", "24")]);
        Assert.True(issue.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"{issue.StatusCode}");
        Assert.Equal(1, await Store.QuerySession().Query<Relief.Api.Meeting.MeetingLink>().CountAsync());
    }

    [Fact]
    public async Task A_revoked_link_opens_nothing()
    {
        await Reported();
        var link = await IssuedLink();
        Assert.Equal(HttpStatusCode.OK, (await new MeetingBrowser(Host).Get(link)).StatusCode);

        var issuer = await new MeetingBrowser(Host).SignedIn(Keys.Reports);
        var page = await (await issuer.Get($"/meeting/{Week}/links")).Content.ReadAsStringAsync();
        var revoke = RevokeForm().Match(page).Groups[1].Value;
        var revoked = await issuer.Post(revoke, [new("__csrf", MeetingBrowser.TokenOf(page)), new("lang", "zh")]);
        Assert.Equal(HttpStatusCode.SeeOther, revoked.StatusCode);

        var refused = await new MeetingBrowser(Host).Get(link);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("此链接已撤销或已失效", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_township_link_opens_its_township_only()
    {
        await Reported();
        var link = await IssuedLink(township: "mucheng");
        var token = link[(link.IndexOf("link=", StringComparison.Ordinal) + 5)..];
        Assert.StartsWith($"/meeting/{Week}/townships/mucheng", link);

        var reader = new MeetingBrowser(Host);
        Assert.Equal(HttpStatusCode.OK, (await reader.Get(link)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Get($"/meeting/{Week}/townships/sanyang?link={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await reader.Get($"/meeting/{Week}/lists/households-without-agreement?township=sanyang&link={token}")).StatusCode);
        var county = await reader.Get($"/meeting/{Week}?link={token}");
        Assert.Equal(HttpStatusCode.Redirect, county.StatusCode);
        Assert.StartsWith($"/meeting/{Week}/townships/mucheng", county.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Issuing_a_link_needs_reports_read_and_the_forms_token()
    {
        await Reported();
        var township = await new MeetingBrowser(Host).SignedIn(Keys.Mucheng); // households:read, no reports:read
        Assert.Equal(HttpStatusCode.Forbidden, (await township.Get($"/meeting/{Week}/links")).StatusCode);
        var token = MeetingBrowser.TokenOf(await (await township.Get("/meeting")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await township.Post($"/meeting/{Week}/links", [new("__csrf", token), new("hours", "24")])).StatusCode);

        var reports = await new MeetingBrowser(Host).SignedIn(Keys.Reports);
        Assert.Equal(HttpStatusCode.BadRequest, (await reports.Post($"/meeting/{Week}/links", [new("hours", "24")])).StatusCode);
        Assert.Equal(0, await Store.QuerySession().Query<Relief.Api.Meeting.MeetingLink>().CountAsync());
    }

    [Fact]
    public async Task A_link_lasts_at_most_fourteen_days()
    {
        await Reported();
        var browser = await new MeetingBrowser(Host).SignedIn(Keys.Reports);
        var token = await browser.Token($"/meeting/{Week}/links");
        foreach (var hours in new[] { "0", "337", "x", "-1" })
        {
            var refused = await browser.Post($"/meeting/{Week}/links", [new("__csrf", token), new("hours", hours)]);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(0, await Store.QuerySession().Query<Relief.Api.Meeting.MeetingLink>().CountAsync());
    }

    [GeneratedRegex("id=\"issued-link\" type=\"text\" readonly size=\"80\" value=\"([^\"]+)\"")]
    private static partial Regex IssuedUrl();

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+/revoke)\"")]
    private static partial Regex RevokeForm();
}
