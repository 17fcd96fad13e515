using System.Net;
using System.Text.RegularExpressions;

namespace Relief.Api.Tests.Meeting;

/// <summary>
/// The meeting's pages as a reader sees them: the same township binding as the API, names of people
/// masked for a reader without pii:read, Chinese first with an English switch that links keep.
/// </summary>
public sealed partial class MeetingPageTests(AppFixture fixture) : ApiTest(fixture)
{
    private string Week => Relief.Core.Calendar.ChinaTime.WeekOf(Clock.GetUtcNow()).ToString();

    private async Task Households()
    {
        await Api.RegisteredHousehold(Requests.Household("mucheng"));  // 张三, 东关村, no agreement
        var sanyang = Requests.Household("sanyang");
        sanyang["headName"] = "欧阳娜娜";
        await Api.RegisteredHousehold(sanyang);
        await Api.ProjectionsCaughtUp();
    }

    private static async Task<string> Text(MeetingBrowser browser, string url)
    {
        var response = await browser.Get(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_township_bound_login_opens_its_own_township_only()
    {
        await Households();
        var mucheng = await new MeetingBrowser(Host).SignedIn(Keys.Mucheng);

        Assert.Equal(HttpStatusCode.OK, (await mucheng.Get($"/meeting/{Week}/townships/mucheng")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mucheng.Get($"/meeting/{Week}/townships/sanyang")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mucheng.Get($"/meeting/{Week}/townships/三阳乡")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mucheng.Get($"/meeting/{Week}/lists/households-without-agreement?township=sanyang")).StatusCode);
        var county = await mucheng.Get($"/meeting/{Week}");
        Assert.Equal(HttpStatusCode.Redirect, county.StatusCode);
        Assert.StartsWith($"/meeting/{Week}/townships/mucheng", county.Headers.Location?.OriginalString);

        // Its lists without a township are its township's: 张三's household, not 欧阳娜娜's.
        foreach (var list in new[] { "households-without-agreement", "households-without-plan" })
        {
            var page = await Text(mucheng, $"/meeting/{Week}/lists/{list}");
            Assert.Contains("木城街道", page);
            Assert.DoesNotContain("三阳乡", page);
            Assert.Single(Rows().Matches(page));
        }

        var index = await Text(mucheng, "/meeting");
        Assert.Contains($"/meeting/{Week}/townships/mucheng", index);
    }

    [Fact]
    public async Task Names_in_the_lists_are_masked_for_a_reader_without_pii_read()
    {
        await Households();
        var reports = await new MeetingBrowser(Host).SignedIn(Keys.Reports); // reports:read only
        var township = await new MeetingBrowser(Host).SignedIn(Keys.Mucheng); // households:read, no pii:read
        var office = await new MeetingBrowser(Host).SignedIn(Keys.PovertyOffice); // pii:read

        foreach (var list in new[] { "households-without-agreement", "households-without-plan" })
        {
            var masked = await Text(reports, $"/meeting/{Week}/lists/{list}");
            Assert.Contains("张*", masked);
            Assert.Contains("欧***", masked);
            Assert.DoesNotContain("张三", masked);
            Assert.DoesNotContain("欧阳娜娜", masked);
            Assert.Contains("姓名已隐去", masked);

            Assert.DoesNotContain("张三", await Text(township, $"/meeting/{Week}/lists/{list}"));

            var full = await Text(office, $"/meeting/{Week}/lists/{list}");
            Assert.Contains("张三", full);
            Assert.Contains("欧阳娜娜", full);
        }

        // The county page lists the households without an agreement too: masked the same way.
        var county = await Text(reports, $"/meeting/{Week}");
        Assert.Contains("东关村 · 张*", county);
        Assert.DoesNotContain("张三", county);
    }

    [Fact]
    public async Task The_pages_are_in_chinese_first_and_in_english_on_request_and_links_keep_the_choice()
    {
        await Households();
        var browser = await new MeetingBrowser(Host).SignedIn(Keys.Reports);

        var chinese = await Text(browser, $"/meeting/{Week}");
        Assert.Contains("<html lang=\"zh-CN\">", chinese);
        Assert.Contains("2020年第40周", chinese);
        Assert.Contains("2020年9月28日至10月4日", chinese);
        Assert.Contains("兜底户", chinese);
        Assert.DoesNotContain("Safety-net households", chinese);
        Assert.Contains("id=\"care-figures\"", chinese);

        var english = await Text(browser, $"/meeting/{Week}?lang=en");
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("Week 40, 2020", english);
        Assert.Contains("28 Sep – 4 Oct 2020", english);
        Assert.Contains("Safety-net households", english);
        var links = Href().Matches(english).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(h => h.StartsWith("/meeting/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(links);
        Assert.All(links.Where(h => !h.Contains("lang=zh", StringComparison.Ordinal)), h => Assert.Contains("lang=en", h));
        Assert.Single(links, h => h.Contains("lang=zh", StringComparison.Ordinal)); // the switch back to Chinese
    }

    [Fact]
    public async Task The_index_shows_each_week_with_its_headline_figures_and_their_change()
    {
        await Households();
        Clock.Advance(TimeSpan.FromDays(7));
        await Api.RegisteredHousehold(Requests.Household("sanyang"));
        await Api.ProjectionsCaughtUp();
        var browser = await new MeetingBrowser(Host).SignedIn(Keys.Reports);

        var index = await Text(browser, "/meeting");
        Assert.Contains("2020年第41周", index);
        Assert.Contains("2020年第40周", index);
        Assert.Matches(new Regex("data-week=\"2020-W41\".*?data-metric=\"households\">3 <small class=\"num change up\">\\(&#x2B;1\\)", RegexOptions.Singleline), index);
        Assert.Matches(new Regex("data-week=\"2020-W40\".*?data-metric=\"households\">2 <small class=\"num change up\">\\(&#x2B;2\\)", RegexOptions.Singleline), index);
        Assert.True(index.IndexOf("2020-W41", StringComparison.Ordinal) < index.IndexOf("2020-W40", StringComparison.Ordinal), "latest first");

        var latest = await browser.Get("/meeting/latest");
        Assert.Equal(HttpStatusCode.Redirect, latest.StatusCode);
        Assert.StartsWith("/meeting/2020-W41", latest.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_township_page_shows_its_figures_its_care_group_and_its_lists()
    {
        await Households();
        var browser = await new MeetingBrowser(Host).SignedIn(Keys.Reports);
        var page = await Text(browser, $"/meeting/{Week}/townships/sanyang");
        Assert.Contains("三阳乡 · 周工作调度 · 2020年第40周", page);
        Assert.Matches("<tr data-metric=\"households\"><td>兜底户</td><td class=\"num value\">1</td>", page);
        Assert.Contains("id=\"care-figures\"", page);
        Assert.Contains("data-chart=\"care-modes\"", page);
        Assert.Contains($"/meeting/{Week}/lists/households-without-plan?township=sanyang", page);
    }

    [Fact]
    public async Task Unknown_weeks_lists_and_townships_are_pages_that_say_so()
    {
        await Households();
        var browser = await new MeetingBrowser(Host).SignedIn(Keys.Reports);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Get("/meeting/2020-W99")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Get("/meeting/2019-W01")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Get($"/meeting/{Week}/lists/everyone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Get($"/meeting/{Week}/townships/atlantis")).StatusCode);
    }

    [GeneratedRegex("<tr data-key=")]
    private static partial Regex Rows();

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
