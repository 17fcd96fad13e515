using Marten;
using System.Net;
using System.Text;

namespace Relief.Api.Tests.Meeting;

/// <summary>
/// The meeting's login: an API key typed into a form for a short-lived, secure session cookie; the form's
/// anti-forgery token; the idle and absolute limits; the logout; and a cookie the API never accepts.
/// </summary>
public sealed class MeetingSessionTests(AppFixture fixture) : ApiTest(fixture)
{
    private MeetingBrowser Browser() => new(Host);

    [Fact]
    public async Task A_good_key_opens_a_session_in_a_secure_http_only_strict_browser_session_cookie()
    {
        var browser = Browser();
        var login = await browser.Login(Keys.Reports);

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/meeting?lang=zh", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(browser.LastSetCookies, c => c.StartsWith(MeetingBrowser.SessionCookie + "=", StringComparison.Ordinal))
            .ToLowerInvariant();
        Assert.Contains("; secure", cookie);
        Assert.Contains("; httponly", cookie);
        Assert.Contains("; samesite=strict", cookie);
        Assert.Contains("; path=/", cookie);
        Assert.DoesNotContain("expires=", cookie); // a browser-session cookie: gone when the browser closes
        Assert.DoesNotContain("max-age", cookie);

        var index = await browser.Get("/meeting");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("五养八延伸 周工作调度", await index.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_login_goes_back_to_the_page_asked_for_and_never_off_the_site()
    {
        var asked = await Browser().Login(Keys.Reports, "/meeting/2020-W40?lang=en");
        Assert.Equal("/meeting/2020-W40?lang=en", asked.Headers.Location?.OriginalString);

        foreach (var away in new[] { "https://evil.example/", "//evil.example/meeting", "/api/households", "/meeting\\..\\x" })
        {
            var answer = await Browser().Login(Keys.Reports, away);
            Assert.Equal("/meeting?lang=zh", answer.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task A_bad_key_is_a_401_login_page_and_sets_no_session()
    {
        var browser = Browser();
        var login = await browser.Login("not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("id=\"login-error\"", await login.Content.ReadAsStringAsync());
        Assert.DoesNotContain(browser.LastSetCookies, c => c.StartsWith(MeetingBrowser.SessionCookie, StringComparison.Ordinal));
        Assert.False(browser.Cookies.ContainsKey(MeetingBrowser.SessionCookie));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Get("/meeting")).StatusCode);
    }

    [Fact]
    public async Task A_login_without_its_form_token_or_with_another_browsers_is_400_and_sets_no_session()
    {
        var browser = Browser();
        await browser.Token("/meeting/login"); // the form's cookie, but no token sent with the key
        var without = await browser.Post("/meeting/login", [new("key", Keys.Reports)]);
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.DoesNotContain(browser.LastSetCookies, c => c.StartsWith(MeetingBrowser.SessionCookie, StringComparison.Ordinal));

        // A token taken from another browser's login page (a forged form) does not match this browser's cookie.
        var other = await Browser().Token("/meeting/login");
        var forged = await browser.Post("/meeting/login", [new("__csrf", other), new("key", Keys.Reports)]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(browser.Cookies.ContainsKey(MeetingBrowser.SessionCookie));
    }

    [Fact]
    public async Task A_login_form_must_be_a_form()
    {
        var browser = Browser();
        var token = await browser.Token("/meeting/login");
        var json = await Send(HttpMethod.Post, "/meeting/login", $"{{\"__csrf\":\"{token}\",\"key\":\"{Keys.Reports}\"}}", key: null);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task The_session_ends_after_two_hours_without_a_read()
    {
        var browser = await Browser().SignedIn(Keys.Reports);
        Clock.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(HttpStatusCode.OK, (await browser.Get("/meeting")).StatusCode);

        Clock.Advance(TimeSpan.FromMinutes(121));
        var expired = await browser.Get("/meeting");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.StartsWith("/meeting/login?returnUrl=", expired.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_session_ends_ten_hours_after_the_login_however_busy()
    {
        var browser = await Browser().SignedIn(Keys.Reports);
        for (var i = 0; i < 6; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(90));
            Assert.Equal(HttpStatusCode.OK, (await browser.Get("/meeting")).StatusCode); // 9 h of reads, each well within 2 h
        }

        Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Get("/meeting")).StatusCode);
    }

    [Fact]
    public async Task The_logout_ends_the_session_for_every_copy_of_its_cookie()
    {
        var browser = await Browser().SignedIn(Keys.Reports);
        var copy = browser.Cookies[MeetingBrowser.SessionCookie];
        var token = MeetingBrowser.TokenOf(await (await browser.Get("/meeting")).Content.ReadAsStringAsync());

        var logout = await browser.Post("/meeting/logout", [new("__csrf", token), new("lang", "zh")]);
        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        Assert.Equal("/meeting/login?lang=zh", logout.Headers.Location?.OriginalString);
        Assert.False(browser.Cookies.ContainsKey(MeetingBrowser.SessionCookie));

        var thief = Browser();
        thief.Set(MeetingBrowser.SessionCookie, copy);
        Assert.Equal(HttpStatusCode.Redirect, (await thief.Get("/meeting")).StatusCode);
    }

    [Fact]
    public async Task The_logout_needs_its_form_token()
    {
        var browser = await Browser().SignedIn(Keys.Reports);
        var logout = await browser.Post("/meeting/logout", [new("lang", "zh")]);
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Get("/meeting")).StatusCode);
    }

    [Fact]
    public async Task The_API_never_accepts_the_session_cookie_to_read_or_to_write()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.ProjectionsCaughtUp();
        var browser = await Browser().SignedIn(Keys.PovertyOffice);
        var cookie = $"{MeetingBrowser.SessionCookie}={browser.Cookies[MeetingBrowser.SessionCookie]}";
        var headers = new Dictionary<string, string> { ["Cookie"] = cookie };

        var read = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/latest", key: null, headers: headers);
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        var write = await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString(), key: null, headers: headers);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal(1, await Store.QuerySession().Query<HouseholdDetails>().CountAsync());
    }

    [Fact]
    public async Task The_pages_need_a_login_and_take_no_key_in_a_header()
    {
        var anonymous = await Send(HttpMethod.Get, "/meeting", key: null);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/meeting/login?returnUrl=%2Fmeeting", anonymous.Headers.Location?.OriginalString);

        var withKey = await Send(HttpMethod.Get, "/meeting", key: Keys.PovertyOffice);
        Assert.Equal(HttpStatusCode.Redirect, withKey.StatusCode);
    }

    [Fact]
    public async Task The_pages_carry_their_own_policy_and_are_never_cached()
    {
        var signedIn = await Browser().SignedIn(Keys.Reports);
        foreach (var (browser, url) in new[] { (signedIn, "/meeting"), (Browser(), "/meeting/login") })
        {
            var page = await browser.Get(url);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var policy = page.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'none'", policy);
            Assert.Contains("form-action 'self'", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("script-src", policy);
            Assert.Contains("no-store", string.Join(",", page.Headers.GetValues("Cache-Control")), StringComparison.Ordinal);
            Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
            var html = await page.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain(" style=\"", html);
        }
    }
}
