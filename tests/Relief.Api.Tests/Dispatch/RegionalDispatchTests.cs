using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.RollUps;
using Relief.Api.Infrastructure.Tenancy;
using Relief.Api.Tests.Infrastructure.Tenancy;

namespace Relief.Api.Tests.Dispatch;

/// <summary>
/// The city's and province's roll-ups of the weekly dispatch, on a Relief serving two counties with
/// different data: Wuzhi (410823) and Boai (410822), both in Henan (41) and in 焦作 (4108).
/// </summary>
[Collection(CountiesCollection.Name)]
public sealed class RegionalDispatchTests(CountiesFixture fixture) : IAsyncLifetime
{
    private const string A = CountiesFixture.A;
    private const string B = CountiesFixture.B;
    private const string Week = "2020-W40";
    private const string Route = "/api/region/weekly-dispatch/" + Week;

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_province_key_reads_every_county_s_week_side_by_side_and_the_totals_are_their_sums()
    {
        await TwoCounties();

        var rollUp = await Json(await Get(Route, Keys.Henan));

        Assert.Equal("41", rollUp.GetProperty("region").GetString());
        Assert.True(rollUp.GetProperty("complete").GetBoolean());
        Assert.Empty(rollUp.GetProperty("leftOut").EnumerateArray());
        var counties = rollUp.GetProperty("counties").EnumerateArray().ToList();
        Assert.Equal([B, A], counties.Select(c => c.GetProperty("county").GetString()));
        Assert.Equal(["博爱县", "武陟县"], counties.Select(c => c.GetProperty("name").GetString()));

        // Different data in each county: the totals are their sums, figure by figure.
        Assert.Equal((3, 3), Figure(counties[1].GetProperty("figures"), "households"));
        Assert.Equal((2, 2), Figure(counties[0].GetProperty("figures"), "households"));
        Assert.Equal((5, 5), Figure(rollUp.GetProperty("totals"), "households"));
        Assert.Equal((1, 1), Figure(rollUp.GetProperty("totals"), "inspections"));
        var totals = rollUp.GetProperty("totals");
        foreach (var metric in DispatchMetrics.All.Where(m => m != DispatchMetrics.HappinessIndex))
        {
            var sum = (counties.Sum(c => Figure(c.GetProperty("figures"), metric).Value), counties.Sum(c => Figure(c.GetProperty("figures"), metric).Change));
            Assert.True(sum == Figure(totals, metric), $"{metric}: total {Figure(totals, metric)}, sum of the counties {sum}");
        }

        Assert.Equal(counties.Sum(c => c.GetProperty("householdsWithoutAgreement").GetInt32()), rollUp.GetProperty("householdsWithoutAgreement").GetInt32());
        Assert.Equal(2, rollUp.GetProperty("householdsWithoutAgreement").GetInt32());

        // Each county's column is exactly that county's own report.
        foreach (var county in counties)
        {
            var own = await OwnReport(county.GetProperty("county").GetString()!);
            Assert.Equal(own.GetProperty("county").GetRawText(), county.GetProperty("figures").GetRawText());
            Assert.Equal(own.GetProperty("lastChangedBy").GetInt64(), county.GetProperty("lastChangedBy").GetInt64());
            Assert.Equal(own.GetProperty("householdsWithoutAgreement").GetProperty("count").GetInt32(),
                county.GetProperty("householdsWithoutAgreement").GetInt32());
        }

        // A city's key over the same two counties reads the same roll-up.
        var city = await Json(await Get(Route, Keys.Jiaozuo));
        Assert.Equal(totals.GetRawText(), city.GetProperty("totals").GetRawText());
    }

    [Fact]
    public async Task The_roll_up_carries_figures_only_no_name_and_no_id_of_anyone()
    {
        var households = await TwoCounties();

        foreach (var path in new[] { Route, Route + ".csv", Route + ".html", Route + "?asOf=2030-01-01" })
        {
            var text = await (await Get(path, Keys.Henan)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("张三", text);
            Assert.DoesNotContain("东关村", text);
            Assert.All(households, id => Assert.DoesNotContain(id.ToString(), text, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task The_week_as_known_on_a_date_is_read_from_the_report_s_revisions_of_that_day()
    {
        await TwoCounties();
        var before = await Json(await Get(Route, Keys.Henan));

        // The database stamps events with its own (real) clock: the events so far are moved back to the
        // test's 1 October 2020, the rest are recorded today, and each county's report is rebuilt from zero.
        foreach (var county in new[] { A, B })
            await CountiesFixture.Scalar<int>(county, "with moved as (update relief.mt_events set timestamp = $1 returning 1) select count(*)::int from moved",
                AppFixture.Start);
        fixture.ActAs = B;
        await new Support.Api(fixture.Host).HouseholdWithNeighbourAgreement("sanyang");
        fixture.ActAs = A;
        await new Support.Api(fixture.Host).RecordedInspection(Requests.Inspection("sanyang", inspectedOn: "2020-09-29"));
        await CaughtUp();
        foreach (var county in new[] { A, B })
        {
            using var daemon = await fixture.Store.BuildProjectionDaemonAsync(county);
            await daemon.RebuildProjectionAsync("WeeklyDispatch", CancellationToken.None);
        }

        var now = await Json(await Get(Route, Keys.Henan));
        var then = await Json(await Get(Route + "?asOf=2020-10-01", Keys.Henan));
        var today = await Json(await Get(Route + "?asOf=" + DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Keys.Henan));
        var tooEarly = await Get(Route + "?asOf=2020-09-30", Keys.Henan);

        Assert.Equal((6, 6), Figure(now.GetProperty("totals"), "households"));
        Assert.Equal((2, 2), Figure(now.GetProperty("totals"), "inspections"));
        Assert.Equal("2020-10-01", then.GetProperty("asOf").GetString());
        Assert.Equal(before.GetProperty("totals").GetRawText(), then.GetProperty("totals").GetRawText());
        Assert.Equal(Columns(before), Columns(then));
        Assert.All(then.GetProperty("counties").EnumerateArray(), c => Assert.Equal("2020-10-01", c.GetProperty("knownOn").GetString()));
        Assert.Equal(now.GetProperty("totals").GetRawText(), today.GetProperty("totals").GetRawText());
        Assert.Equal(Columns(now), Columns(today));
        Assert.Equal(HttpStatusCode.NotFound, tooEarly.StatusCode);

        // The downloads and the page say which day they are as known on.
        var csv = await (await Get(Route + ".csv?asOf=2020-10-01", Keys.Henan)).Content.ReadAsStringAsync();
        Assert.Contains($"{Week},2020-10-01,region,41,合计,households,兜底户,Safety-net households,5,5", csv);
        var page = await (await Get(Route + ".html?asOf=2020-10-01", Keys.Henan)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"as-of\"", page);
    }

    [Fact]
    public async Task The_csv_and_the_workbook_have_Chinese_headers_then_codes_and_the_page_shows_the_counties_side_by_side()
    {
        await TwoCounties();

        var csv = await Get(Route + ".csv", Keys.Henan);
        var xlsx = await Get(Route + ".xlsx", Keys.Henan);
        var html = await Get(Route + ".html", Keys.Henan);

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"weekly-dispatch-region-41-{Week}.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("周,截至,范围,县代码,名称,指标代码,指标,指标(英文),数值,周变化", lines[0]);
        Assert.Equal("week,asOf,scope,county,name,figure,label,labelEn,value,change", lines[1]);
        Assert.Contains($"{Week},,region,41,合计,households,兜底户,Safety-net households,5,5", lines);
        Assert.Contains($"{Week},,county,{A},武陟县,households,兜底户,Safety-net households,3,3", lines);
        Assert.Contains($"{Week},,county,{B},博爱县,households,兜底户,Safety-net households,2,2", lines);
        Assert.Equal(2 + DispatchMetrics.All.Count * 3, lines.Count);

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        await using var workbook = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["指标", "未纳入县", "说明"], MiniExcel.GetSheetNames(workbook));
        var sheet = workbook.Query(useHeaderRow: false, sheetName: "指标").Cast<IDictionary<string, object>>().Select(r => r.Values.ToList()).ToList();
        Assert.Equal(["指标代码", "指标", "指标(英文)", "合计", "合计周变化", "博爱县", "博爱县周变化", "武陟县", "武陟县周变化"],
            sheet[0].Select(v => (string)v));
        Assert.Equal(["figure", "label", "labelEn", "total", "totalChange", B, B + "Change", A, A + "Change"], sheet[1].Select(v => (string)v));
        var households = sheet.Skip(2).Single(r => (string)r[0] == "households");
        Assert.Equal([5d, 5d, 2d, 2d, 3d, 3d], households.Skip(3).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)));
        Assert.Equal(["县代码", "名称", "原因代码", "原因", "说明"],
            workbook.Query(useHeaderRow: false, sheetName: "未纳入县").Cast<IDictionary<string, object>>().First().Values.Select(v => (string)v));

        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(html.Headers.GetValues("Content-Security-Policy").Single());
        var page = await html.Content.ReadAsStringAsync();
        Assert.Contains("<th data-county=\"410822\">博爱县</th>", page);
        Assert.Contains("<th data-county=\"410823\">武陟县</th>", page);
        Assert.Contains("<td class=\"num total\">5</td>", page);
    }

    [Fact]
    public async Task A_county_the_region_names_and_this_Relief_does_not_serve_is_named_and_left_out_of_the_totals()
    {
        await TwoCounties();

        var rollUp = await Json(await Get(Route, CountiesFixture.RegionListKey));
        var csv = await (await Get(Route + ".csv", CountiesFixture.RegionListKey)).Content.ReadAsStringAsync();

        Assert.False(rollUp.GetProperty("complete").GetBoolean());
        Assert.Equal([B], rollUp.GetProperty("counties").EnumerateArray().Select(c => c.GetProperty("county").GetString()));
        var left = Assert.Single(rollUp.GetProperty("leftOut").EnumerateArray());
        Assert.Equal(("410821", "NotServed"), (left.GetProperty("county").GetString(), left.GetProperty("reason").GetString()));
        Assert.Equal((2, 2), Figure(rollUp.GetProperty("totals"), "households"));
        Assert.Contains($"{Week},,leftOut,410821,410821,NotServed,不在本服务,", csv);
    }

    [Fact]
    public async Task A_county_whose_database_cannot_be_read_is_left_out_as_unreachable_and_the_others_are_read()
    {
        await TwoCounties();
        var reader = fixture.Host.Services.GetRequiredService<RegionalDispatchReader>();
        var counties = fixture.Host.Services.GetRequiredService<Counties>();
        await using var nowhere = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=nowhere");

        var lost = await reader.ReadAsync(new County("410899", "410899", nowhere, new Relief.Api.Infrastructure.Security.TownshipDirectory([])), Core.Calendar.IsoWeek.Parse(Week), null, CancellationToken.None);
        var read = await reader.ReadAsync(counties.Find(B)!, Core.Calendar.IsoWeek.Parse(Week), null, CancellationToken.None);

        Assert.Equal(LeftOutReason.Unreachable, lost.LeftOut);
        Assert.Null(lost.Figures);
        Assert.Contains("410899", lost.Detail);
        Assert.Equal(2, read.Figures![DispatchMetrics.Households].Value);
        var rollUp = RegionalDispatchReport.Of(Region.Parse("41", out _)!, Core.Calendar.IsoWeek.Parse(Week), null, [read, lost]);
        Assert.False(rollUp.Complete);
        Assert.Equal(new Relief.Api.Dispatch.Report.FigureValue(2, 2), rollUp.Totals[DispatchMetrics.Households]);
        Assert.Equal("410899", Assert.Single(rollUp.LeftOut).County);
    }

    [Fact]
    public async Task A_county_s_keys_cannot_read_the_roll_up()
    {
        await TwoCounties();

        foreach (var key in new[] { Keys.Reports, Keys.PovertyOffice, Keys.Auditor, "dev-province" })
        {
            var response = await Get(Route, key);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{key}: {(int)response.StatusCode}");
        }

        // A token cannot be a county's and a region's at once.
        var both = Support.Tokens.Issue("province-bi", "PovertyAlleviationOffice", "reports:region", county: A);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(Route, token: both)).StatusCode);
    }

    [Fact]
    public async Task A_region_s_key_reads_and_writes_nothing_of_any_county_on_any_other_route()
    {
        await TwoCounties();
        var events = (await CountiesFixture.EventCount(A), await CountiesFixture.EventCount(B));
        var routes = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true
                        && !e.RoutePattern.RawText.StartsWith("/api/region/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Template: e.RoutePattern.RawText!)))
            .Distinct().ToList();
        Assert.True(routes.Count > 100, $"only {routes.Count} routes found");

        var answered = new List<string>();
        foreach (var (method, template) in routes)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(template, "{week[^}]*}", Week);
            path = System.Text.RegularExpressions.Regex.Replace(path, "{code[^}]*}", A);
            path = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString());
            var response = await Get(path, Keys.Henan, method: method, body: method == "GET" ? null : "{}");
            if (response.StatusCode != HttpStatusCode.Forbidden) answered.Add($"{method} {template}: {(int)response.StatusCode}");
        }

        Assert.Empty(answered);
        // A route that asks for no scope of its own (the county's report checks its readers itself) is refused
        // as a region's credential, before any county is chosen.
        var report = await Json(await Get($"/api/reports/weekly-dispatch/{Week}", Keys.Henan, language: "en"));
        Assert.Equal("A region's credential reads no county's records.", report.GetProperty("title").GetString());
        Assert.Equal(events, (await CountiesFixture.EventCount(A), await CountiesFixture.EventCount(B)));
    }

    [Fact]
    public async Task Bad_input_is_a_problem_in_the_callers_language()
    {
        await TwoCounties();

        var week = await Get("/api/region/weekly-dispatch/2020-W99", Keys.Henan);
        var date = await Get(Route + "?asOf=2020-10-32", Keys.Henan, language: "zh-CN");
        var unknown = await Get("/api/region/weekly-dispatch/2031-W01", Keys.Henan, language: "zh-CN");

        Assert.Equal(HttpStatusCode.BadRequest, week.StatusCode);
        Assert.Equal("application/problem+json", week.Content.Headers.ContentType?.MediaType);
        Assert.True((await Json(week)).GetProperty("errors").TryGetProperty("week", out _));
        Assert.Equal(HttpStatusCode.BadRequest, date.StatusCode);
        Assert.Equal("须为 yyyy-MM-dd 格式的日期。", (await Json(date)).GetProperty("errors").GetProperty("asOf")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("这一周没有报告。", (await Json(unknown)).GetProperty("title").GetString());
    }

    // ---- the two counties ----

    /// <summary>Wuzhi: three households (one without an agreement) and an inspection; Boai: two households (one without). Answers every household.</summary>
    private async Task<List<Guid>> TwoCounties()
    {
        var households = new List<Guid>();
        var api = new Support.Api(fixture.Host);
        fixture.ActAs = A;
        households.Add((await api.HouseholdWithNeighbourAgreement("mucheng")).Household);
        households.Add((await api.HouseholdWithNeighbourAgreement("sanyang")).Household);
        households.Add(await api.RegisteredHousehold(Requests.Household("mucheng")));
        await api.RecordedInspection(Requests.Inspection("mucheng", households[0], inspectedOn: "2020-09-30"));
        fixture.ActAs = B;
        households.Add((await api.HouseholdWithNeighbourAgreement("mucheng")).Household);
        households.Add(await api.RegisteredHousehold(Requests.Household("sanyang")));
        fixture.ActAs = A;
        await CaughtUp();
        return households;
    }

    private async Task CaughtUp()
    {
        var daemon = fixture.Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
        foreach (var county in new[] { A, B })
        {
            var perCounty = await daemon.DaemonForDatabase(county);
            if (!perCounty.IsRunning) await perCounty.StartAllAsync();
        }

        await fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A county's own weekly report, read with its own reports key.</summary>
    private async Task<JsonElement> OwnReport(string county)
    {
        fixture.ActAs = county;
        try
        {
            return await Json(await Get($"/api/reports/weekly-dispatch/{Week}", Keys.Reports));
        }
        finally
        {
            fixture.ActAs = A;
        }
    }

    private static List<string> Columns(JsonElement rollUp) =>
        rollUp.GetProperty("counties").EnumerateArray().Select(c => c.GetProperty("county").GetString() + c.GetProperty("figures").GetRawText()).ToList();

    private static (int Value, int Change) Figure(JsonElement figures, string metric) =>
        (figures.GetProperty(metric).GetProperty("value").GetInt32(), figures.GetProperty(metric).GetProperty("change").GetInt32());

    private async Task<HttpResponseMessage> Get(string path, string? key = null, string? token = null, string method = "GET", string? body = null,
        string? language = null)
    {
        using var client = fixture.Host.Server.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        }

        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (language is not null) request.Headers.AcceptLanguage.ParseAdd(language);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
