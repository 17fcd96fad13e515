using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Relief.Api.Dispatch.Report;

using Relief.Api.Tests.Support;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// Every answer says: do not sniff, send no referrer, do not frame me; every /api answer says: keep
/// no copy; a page says exactly what it may load (the printable report: its own style sheet only).
/// </summary>
public sealed partial class SecurityHeaderTests(AppFixture fixture) : ApiTest(fixture)
{
    private static void AssertEveryAnswersHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", Header(response, "Content-Security-Policy"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues)
        : "";

    [Fact]
    public async Task A_JSON_answer_is_not_sniffed_framed_or_kept()
    {
        var response = await Send(HttpMethod.Get, "/api/households?limit=5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertEveryAnswersHeaders(response);
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
    }

    [Fact]
    public async Task An_answer_revealing_personal_data_is_kept_nowhere()
    {
        var id = await Api.RegisteredHousehold(Requests.Household(members: Requests.Member(phone: "13912345678")));

        var response = await Send(HttpMethod.Get, $"/api/households/{id}", key: Keys.PovertyOffice);

        Assert.Equal("Revealed", (await Json(response)).GetProperty("personalData").GetString());
        AssertEveryAnswersHeaders(response);
        Assert.Equal("no-store", Header(response, "Cache-Control"));
    }

    [Fact]
    public async Task Refusals_and_errors_carry_the_same_headers()
    {
        var unauthenticated = await Send(HttpMethod.Get, "/api/households", key: null);
        var invalid = await Send(HttpMethod.Post, "/api/households", """{ "township": """);

        foreach (var response in new[] { unauthenticated, invalid })
        {
            AssertEveryAnswersHeaders(response);
            Assert.Equal("no-store", Header(response, "Cache-Control"));
        }
    }

    [Fact]
    public async Task The_printable_report_may_load_its_own_style_sheet_and_nothing_else()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.ProjectionsCaughtUp();
        var week = Relief.Core.Calendar.ChinaTime.WeekOf(Clock.GetUtcNow()).ToString();

        var response = await Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{week}.html", key: Keys.Reports);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertEveryAnswersHeaders(response);
        Assert.Equal("no-store", Header(response, "Cache-Control"));
        var policy = Header(response, "Content-Security-Policy");
        Assert.Equal(DispatchPage.ContentSecurityPolicy, policy);
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", policy);
        var page = await response.Content.ReadAsStringAsync();
        var style = StyleElement().Match(page).Groups[1].Value;
        Assert.Contains($"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", policy);
        Assert.DoesNotContain("<script", page);
        Assert.DoesNotContain(" style=\"", page);
    }

    [ChromiumFact]
    public async Task The_printable_report_is_styled_in_a_browser_that_enforces_its_policy()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.ProjectionsCaughtUp();
        var week = Relief.Core.Calendar.ChinaTime.WeekOf(Clock.GetUtcNow()).ToString();
        var response = await Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{week}.html", key: Keys.Reports);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("http-equiv=\"Content-Security-Policy\"", html);

        // Opened from disk, as a saved copy would be: the policy written into the page is the one enforced.
        var page = Path.Combine(Path.GetTempPath(), $"relief-dispatch-csp-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(page, html);
        try
        {
            await using var browser = await HeadlessChromium.OpenAsync(new Uri(page).AbsoluteUri);
            var seen = await browser.EvaluateAsync<JsonElement>("""
                ({
                  rule: getComputedStyle(document.querySelector('h2')).borderBottomColor,
                  collapse: getComputedStyle(document.querySelector('table')).borderCollapse,
                })
                """);

            Assert.Equal("rgb(31, 95, 168)", seen.GetProperty("rule").GetString());
            Assert.Equal("collapse", seen.GetProperty("collapse").GetString());
        }
        finally
        {
            File.Delete(page);
        }
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();
}
