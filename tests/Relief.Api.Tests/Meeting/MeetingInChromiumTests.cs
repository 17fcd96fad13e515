using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Relief.Api.Tests.Meeting;

/// <summary>
/// The meeting as a participant opens it: Debian's headless Chromium against a real HTTP server on
/// 127.0.0.1 (<see cref="LoopbackProxy"/> in front of the test host). It signs in through the form,
/// goes from the index to a week, a township and a list, prints to PDF on A4, and no request it makes
/// carries a key or a token in a header.
/// </summary>
public sealed partial class MeetingInChromiumTests(AppFixture fixture) : ApiTest(fixture)
{
    [ChromiumFact]
    public async Task A_participant_signs_in_and_goes_from_the_index_to_a_week_a_township_and_a_list_and_prints_them_on_A4()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.FamilyWithLoanUnderVerification("sanyang");
        Clock.Advance(TimeSpan.FromDays(28));
        await Api.RegisteredHousehold(Requests.Household("sanyang"));
        await Api.ProjectionsCaughtUp();
        var week = Relief.Core.Calendar.ChinaTime.WeekOf(Clock.GetUtcNow()).ToString();

        await using var proxy = await LoopbackProxy.Start(Host);
        await using var browser = await HeadlessChromium.OpenAsync($"{proxy.Origin}/meeting");

        // Not signed in: the login page, in Chinese.
        Assert.Equal("/meeting/login", await browser.EvaluateAsync<string>("location.pathname"));
        Assert.Equal("zh-CN", await browser.EvaluateAsync<string>("document.documentElement.lang"));
        await browser.EvaluateAndLoadAsync($"document.querySelector('#key').value = '{Keys.Reports}'; document.querySelector('#login-form').submit()");

        // The index of weeks.
        Assert.Equal("/meeting", await browser.EvaluateAsync<string>("location.pathname"));
        Assert.True(await browser.EvaluateAsync<int>("document.querySelectorAll('#weeks tr[data-week]').length") >= 5);
        await browser.EvaluateAndLoadAsync($"location.href = document.querySelector('tr[data-week=\"{week}\"] a.week-link').href");

        // The county page of the week: figures, charts drawn, the care-plan group.
        Assert.Equal($"/meeting/{week}", await browser.EvaluateAsync<string>("location.pathname"));
        var county = await browser.EvaluateAsync<JsonElement>("""
            ({
              households: document.querySelector('#county-figures tr[data-metric=households] td.value').textContent,
              care: document.querySelectorAll('#care-figures tr[data-metric]').length,
              drawn: [...document.querySelectorAll('svg.chart')].every(s => s.getBoundingClientRect().width > 100 && s.getBoundingClientRect().height > 10),
              charts: document.querySelectorAll('svg.chart').length,
              styled: getComputedStyle(document.querySelector('h2')).borderBottomColor,
            })
            """);
        Assert.Equal("3", county.GetProperty("households").GetString()); // two households, and the one the loan family cares for
        Assert.Equal(Relief.Api.Dispatch.Report.DispatchPage.CareGroup.Count, county.GetProperty("care").GetInt32());
        Assert.True(county.GetProperty("drawn").GetBoolean());
        Assert.True(county.GetProperty("charts").GetInt32() > 20);
        Assert.Equal("rgb(31, 95, 168)", county.GetProperty("styled").GetString()); // the style sheet applies under the page's policy
        var countyPdf = await browser.PrintToPdfAsync();

        // A township's page, then a list behind a figure.
        await browser.EvaluateAndLoadAsync("location.href = document.querySelector('#township-figures tr[data-township=sanyang] a.township-link').href");
        Assert.Equal($"/meeting/{week}/townships/sanyang", await browser.EvaluateAsync<string>("location.pathname"));
        Assert.StartsWith("三阳乡", await browser.EvaluateAsync<string>("document.querySelector('h1').textContent"));
        await browser.EvaluateAndLoadAsync("location.href = document.querySelector('a.list-link[data-list=households-without-agreement]').href");
        Assert.Equal($"/meeting/{week}/lists/households-without-agreement", await browser.EvaluateAsync<string>("location.pathname"));
        var rows = await browser.EvaluateAsync<string[]>("[...document.querySelectorAll('#list tbody tr')].map(r => r.cells[2].textContent)");
        Assert.Equal(["东关村 · 张*"], rows); // the sanyang household, its head's name masked for reports:read
        var listPdf = await browser.PrintToPdfAsync();

        // English, and back to the index through the bar.
        await browser.EvaluateAndLoadAsync("location.href = document.querySelector('#lang-switch').href");
        Assert.Equal("en", await browser.EvaluateAsync<string>("document.documentElement.lang"));
        await browser.EvaluateAndLoadAsync("location.href = document.querySelector('#nav-index').href");
        Assert.Contains("Weekly dispatch meeting", await browser.EvaluateAsync<string>("document.querySelector('h1').textContent"));

        // Printed: A4 pages (595 x 842 points), a sane count; the navigation bar is not printed.
        foreach (var (pdf, most) in new[] { (countyPdf, 30), (listPdf, 2) })
        {
            var pages = PdfPages(pdf);
            Assert.InRange(pages.Count, 1, most);
            Assert.All(pages, size =>
            {
                Assert.InRange(size.Width, 593, 597);
                Assert.InRange(size.Height, 840, 844);
            });
        }

        // Every request the pages made went without a key or a token in a header, and none was refused.
        var seen = proxy.Seen.Where(r => r.PathAndQuery != "/favicon.ico").ToList();
        Assert.True(seen.Count >= 8, $"only {seen.Count} requests");
        Assert.DoesNotContain(seen, r => r.SentCredentialHeader);
        Assert.DoesNotContain(seen, r => r.Status >= 400);
    }

    /// <summary>The size of each page of a PDF (its <c>/MediaBox</c>), in points.</summary>
    private static List<(double Width, double Height)> PdfPages(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        return MediaBox().Matches(text)
            .Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
    }

    [GeneratedRegex(@"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")]
    private static partial Regex MediaBox();
}
