using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events.Daemon;
using Marten;
using MiniExcelLibs;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.Report;
using Relief.Api.Tests.Support;

namespace Relief.Api.Tests.Dispatch;

public sealed class WeeklyDispatchTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_household_and_its_agreement_count_in_the_week_they_happened_for_the_county_and_its_township()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");

        var report = await Api.WeeklyDispatch("2020-W40");

        Assert.Equal("2020-W40", report.GetProperty("week").GetString());
        Assert.Equal("2020-09-28", report.GetProperty("from").GetString());
        Assert.Equal("2020-10-04", report.GetProperty("to").GetString());
        Assert.Equal((1, 1), report.County("households"));
        Assert.Equal((1, 1), report.County("householdsCovered"));
        Assert.Equal((1, 1), report.Township("mucheng", "households"));
        Assert.Equal((0, 0), report.Township("sanyang", "households"));
        Assert.Equal("木城街道", report.GetProperty("townships")[0].GetProperty("name").GetString());
        Assert.Equal(0, report.Listed("householdsWithoutAgreement"));
        Assert.Empty(await Api.WeeklyDispatchList(report, "householdsWithoutAgreement"));
        // Every figure is there, counted or not.
        foreach (var metric in DispatchMetrics.All) Assert.True(report.GetProperty("county").TryGetProperty(metric, out _), metric);
    }

    [Fact]
    public async Task Values_carry_into_later_weeks_and_the_change_is_the_weeks_net_change()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        Clock.Advance(TimeSpan.FromDays(7));
        await Api.HouseholdWithNeighbourAgreement("sanyang");

        var week40 = await Api.WeeklyDispatch("2020-W40");
        var week41 = await Api.WeeklyDispatch("2020-W41");
        var latest = await Api.WeeklyDispatch("latest");

        Assert.Equal((1, 1), week40.County("households"));
        Assert.Equal((2, 1), week41.County("households"));
        Assert.Equal((1, 0), week41.Township("mucheng", "households"));
        Assert.Equal((1, 1), week41.Township("sanyang", "households"));
        Assert.Equal("2020-W41", latest.GetProperty("week").GetString());
    }

    [Fact]
    public async Task An_agreement_that_ends_leaves_the_household_uncovered_and_on_the_list_from_the_next_day()
    {
        var (household, agreement) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/end",
            new JsonObject { ["version"] = 1, ["endedOn"] = "2020-10-01", ["reason"] = "托养人外出务工" });

        var report = await Api.WeeklyDispatch("2020-W40");

        Assert.Equal((1, 1), report.County("households"));
        Assert.Equal((0, 0), report.County("householdsCovered"));
        Assert.Equal(1, report.Listed("householdsWithoutAgreement"));
        Assert.Equal("/api/reports/weekly-dispatch/2020-W40/households-without-agreement",
            report.GetProperty("householdsWithoutAgreement").GetProperty("href").GetString());
        var uncovered = Assert.Single(await Api.WeeklyDispatchList(report, "householdsWithoutAgreement"));
        Assert.Equal(household, uncovered.GetProperty("householdId").GetGuid());
        Assert.Equal("2020-10-02", uncovered.GetProperty("since").GetString());
        Assert.Equal("mucheng", uncovered.GetProperty("township").GetString());
    }

    [Fact]
    public async Task A_case_past_the_due_date_of_its_stage_is_listed_overdue_with_its_owners_and_the_days_overdue()
    {
        var (_, caseId) = await Api.FamilyWithLoanUnderVerification("mucheng");
        var dueOn = DateOnly.Parse((await Api.Send(HttpMethod.Get, $"/api/policy-cases/{caseId}", null)).GetProperty("dueOn").GetString()!, CultureInfo.InvariantCulture);
        // Three weeks on, something is recorded: the report's weeks reach it.
        Clock.Advance(TimeSpan.FromDays(21));
        await Api.RegisteredHousehold(Requests.Household("sanyang"));

        var week = Relief.Core.Calendar.IsoWeek.Of(dueOn.AddDays(8));
        var report = await Api.WeeklyDispatch(week.ToString());

        Assert.Equal(1, report.Listed("overdueCases"));
        var overdue = Assert.Single(await Api.WeeklyDispatchList(report, "overdueCases"));
        Assert.Equal(caseId, overdue.GetProperty("caseId").GetGuid());
        Assert.Equal("FinancialLoan", overdue.GetProperty("policy").GetString());
        Assert.Equal("UnderVerification", overdue.GetProperty("stage").GetString());
        Assert.Equal(dueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), overdue.GetProperty("dueOn").GetString());
        Assert.Equal(week.Sunday.DayNumber - dueOn.DayNumber, overdue.GetProperty("daysOverdue").GetInt32());
        Assert.Contains("Bank", overdue.GetProperty("owners").EnumerateArray().Select(o => o.GetString()));
        Assert.StartsWith("托养人家庭 ", overdue.GetProperty("subject").GetString());
        Assert.Equal(1, report.County("policyCasesOverdue").Value);
        Assert.Equal((1, 0), report.County("loansVerifying"));
    }

    [Fact]
    public async Task A_voided_inspection_no_longer_counts_and_the_report_shows_the_correction_in_its_week()
    {
        var (household, _) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.RecordedInspection(Requests.Inspection("mucheng", household, inspectedOn: "2020-09-30"));
        Assert.Equal((1, 1), (await Api.WeeklyDispatch("2020-W40")).County("inspections"));
        var sequence = (await Api.Audit($"/api/households/{household}/history?type=InspectionRecorded"))
            .GetProperty("items")[0].GetProperty("sequence").GetInt64();

        await Api.Send(HttpMethod.Post, "/api/audit/corrections",
            new JsonObject { ["sequence"] = sequence, ["reason"] = "录入错误：检查记在了错误的户上" });

        var report = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal((0, 0), report.County("inspections"));
        Assert.Equal((0, 0), report.Township("mucheng", "inspections"));
        Assert.Equal((1, 1), report.County("households"));
    }

    [Fact]
    public async Task A_voided_agreement_or_registration_no_longer_counts_from_its_own_day_and_a_rebuild_writes_the_same_reports()
    {
        var (covered, agreement) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        var (mistaken, _) = await Api.HouseholdWithNeighbourAgreement("sanyang");
        Clock.Advance(TimeSpan.FromDays(7));
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        Assert.Equal((2, 2), (await Api.WeeklyDispatch("2020-W40")).County("householdsCovered"));

        await Void(agreement, "care_agreement_signed", "协议录错了户");
        await Void(mistaken, "household_registered", "重复登记");

        var live = await Reports("2020-W40", "2020-W41");
        var week40 = JsonDocument.Parse(live[0]).RootElement;
        Assert.Equal((1, 1), week40.County("households"));
        Assert.Equal((0, 0), week40.County("householdsCovered"));
        Assert.Equal((1, 1), week40.Township("mucheng", "households"));
        Assert.Equal((0, 0), week40.Township("sanyang", "households"));
        Assert.Equal((0, 0), week40.Township("sanyang", "householdsCovered"));
        var uncovered = Assert.Single(await Api.WeeklyDispatchList(week40, "householdsWithoutAgreement"));
        Assert.Equal(covered, uncovered.GetProperty("householdId").GetGuid());
        Assert.Equal((2, 1), JsonDocument.Parse(live[3]).RootElement.County("households"));

        var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync("WeeklyDispatch", CancellationToken.None);
        Assert.Equal(live, await Reports("2020-W40", "2020-W41"));
    }

    [Fact]
    public async Task A_voided_step_of_a_policy_case_takes_the_case_back_to_the_step_before()
    {
        var (_, caseId) = await Api.FamilyWithLoanUnderVerification("mucheng");
        Assert.Equal((1, 1), (await Api.WeeklyDispatch("2020-W40")).County("loansVerifying"));

        await Void(caseId, "verification_started", "核实环节录早了");

        var report = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal((0, 0), report.County("loansVerifying"));
        Assert.Equal((1, 1), report.County("policyCasesOpen"));
    }

    [Fact]
    public async Task A_voided_caregiver_warning_no_longer_counts_and_its_evaluation_still_does()
    {
        var (household, _, _) = await Api.CaredForHousehold("mucheng");
        var evaluation = await Api.Evaluated(household, Requests.Evaluation(3, 1));
        var counted = await Api.WeeklyDispatch("latest");
        Assert.Equal(1, counted.County("caregiverWarnings").Value);
        Assert.Equal(1, counted.Township("mucheng", "caregiverWarnings").Value);

        await Void(evaluation, "caregiver_warned", "评分录错");

        var report = await Api.WeeklyDispatch(counted.GetProperty("week").GetString()!);
        Assert.Equal(0, report.County("caregiverWarnings").Value);
        Assert.Equal(0, report.Township("mucheng", "caregiverWarnings").Value);
        Assert.Equal(1, report.County("evaluations").Value);
    }

    [Fact]
    public async Task A_subject_written_before_subjects_kept_their_events_is_not_folded_again_by_a_void_until_a_rebuild()
    {
        var (household, _) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.ProjectionsCaughtUp();
        // As a report document written by an earlier release: no list of the events that made it.
        await Api.Sql("update relief.mt_doc_dispatchhousehold set data = data - 'events' where id = $1", household);
        var version = (await Api.Household(household)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Put, $"/api/households/{household}", new JsonObject
        {
            ["version"] = version, ["village"] = "西关村", ["headName"] = "张三", ["address"] = "西关村二组 3 号", ["povertyCause"] = "Illness",
        });

        await Void(household, "household_details_changed", "地址录错");

        // Folded from the one event it knows of, the household would have lost its registration.
        Assert.Equal((1, 1), JsonDocument.Parse((await Reports("2020-W40"))[0]).RootElement.County("households"));
        var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync("WeeklyDispatch", CancellationToken.None);
        Assert.Equal((1, 1), JsonDocument.Parse((await Reports("2020-W40"))[0]).RootElement.County("households"));
    }

    /// <summary>Voids the stream's event of a type through the corrections route.</summary>
    private async Task Void(Guid stream, string type, string reason)
    {
        var sequence = Convert.ToInt64(await Api.Sql("select seq_id from relief.mt_events where stream_id = $1 and type = $2", stream, type), CultureInfo.InvariantCulture);
        await Api.Send(HttpMethod.Post, "/api/audit/corrections", new JsonObject { ["sequence"] = sequence, ["reason"] = reason });
    }

    [Fact]
    public async Task The_report_carries_the_hash_chains_latest_daily_anchor()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.AuditChainCaughtUp();

        var report = await Api.WeeklyDispatch("2020-W40");
        var anchors = await Api.Audit("/api/audit/anchors");
        var last = anchors[anchors.GetArrayLength() - 1];

        var anchor = report.GetProperty("auditAnchor");
        Assert.Equal(last.GetProperty("hash").GetString(), anchor.GetProperty("hash").GetString());
        Assert.Equal(last.GetProperty("lastSequence").GetInt64(), anchor.GetProperty("lastSequence").GetInt64());
        Assert.Equal(Convert.ToInt64(await Api.Sql("select max(seq_id) from relief.mt_events"), CultureInfo.InvariantCulture), anchor.GetProperty("lastSequence").GetInt64());
    }

    [Fact]
    public async Task A_week_not_written_is_404_and_a_malformed_week_is_400()
    {
        var none = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/latest", key: Keys.Reports);
        Assert.Equal(404, (int)none.StatusCode);

        await Api.HouseholdWithNeighbourAgreement();
        await Api.ProjectionsCaughtUp();

        var later = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2021-W10", key: Keys.Reports);
        var malformed = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W54", key: Keys.Reports);
        var csv = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/last-week.csv", key: Keys.Reports);

        Assert.Equal(404, (int)later.StatusCode);
        Assert.Equal("application/problem+json", later.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (int)malformed.StatusCode);
        Assert.True((await Json(malformed)).GetProperty("errors").TryGetProperty("week", out _));
        Assert.Equal(400, (int)csv.StatusCode);
    }

    [Fact]
    public async Task A_caller_without_a_read_scope_is_refused_and_a_township_key_sees_its_own_township()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.HouseholdWithNeighbourAgreement("sanyang");
        await Api.ProjectionsCaughtUp();

        var token = Tokens.Issue("someone", "CivilAffairs", "care:write");
        var refused = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W40", key: null,
            headers: new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });
        var township = await Api.Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W40", null, Keys.Mucheng);

        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Equal("mucheng", Assert.Single(township.GetProperty("townships").EnumerateArray()).GetProperty("township").GetString());
        Assert.Equal(2, township.County("households").Value);
    }

    [Fact]
    public async Task A_closed_household_counts_until_its_closure_and_a_rebuild_from_zero_writes_the_same_reports()
    {
        var (household, _) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.FamilyWithLoanUnderVerification("sanyang");
        Clock.Advance(TimeSpan.FromDays(7));
        var version = (await Api.Household(household)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Post, $"/api/households/{household}/closure",
            new JsonObject { ["version"] = version, ["reason"] = "Deceased", ["closedOn"] = "2020-10-07" });
        await Api.HouseholdWithNeighbourAgreement("mucheng");

        var live = await Reports("2020-W40", "2020-W41");
        var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync("WeeklyDispatch", CancellationToken.None);
        var rebuilt = await Reports("2020-W40", "2020-W41");

        // 2020-W41: one household closed, one registered (net change 0); the loan family's township unchanged
        // (it holds the household the loan family cares for: the eligibility chain).
        Assert.Equal((2, 0), JsonDocument.Parse(live[3]).RootElement.County("households"));
        Assert.Equal((1, 0), JsonDocument.Parse(live[3]).RootElement.Township("mucheng", "households"));
        Assert.Equal((1, 0), JsonDocument.Parse(live[3]).RootElement.County("loansVerifying"));
        Assert.Equal(live, rebuilt);
    }

    [Fact]
    public async Task The_csv_and_the_workbook_hold_the_reports_figures_for_the_county_and_each_township()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.ProjectionsCaughtUp();

        var csv = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W40.csv", key: Keys.Reports);
        var xlsx = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W40.xlsx", key: Keys.Reports);

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("weekly-dispatch-2020-W40.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Chinese headers for the meeting, then the English codes for programs, then the figures.
        Assert.Equal("周,范围,名称,指标代码,指标,指标(英文),数值,周变化", lines[0].TrimEnd('\r'));
        Assert.Equal("week,scope,name,figure,label,labelEn,value,change", lines[1].TrimEnd('\r'));
        Assert.Contains(lines, l => l.TrimEnd('\r') == "2020-W40,county,县,households,兜底户,Safety-net households,1,1");
        Assert.Contains(lines, l => l.TrimEnd('\r') == "2020-W40,mucheng,木城街道,households,兜底户,Safety-net households,1,1");
        Assert.Equal(2 + DispatchMetrics.All.Count * 16, lines.Length);

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        await using var workbook = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["指标", "逾期事项", "未签协议户", "说明"], MiniExcel.GetSheetNames(workbook));
        var sheet = workbook.Query(useHeaderRow: false, sheetName: "指标").Cast<IDictionary<string, object>>()
            .Select(r => r.Values.ToList()).ToList();
        Assert.Equal(["指标代码", "指标", "指标(英文)", "全县", "全县周变化", "木城街道", "木城街道周变化"], sheet[0].Take(7).Select(v => (string)v));
        Assert.Equal(["figure", "label", "labelEn", "county", "countyChange", "mucheng", "muchengChange"], sheet[1].Take(7).Select(v => (string)v));
        var codes = sheet[1].Select(v => (string)v).ToList();
        var households = sheet.Skip(2).Single(r => (string)r[0] == "households");
        Assert.Equal("兜底户", households[1]);
        Assert.Equal(1d, Convert.ToDouble(households[codes.IndexOf("county")], CultureInfo.InvariantCulture));
        Assert.Equal(1d, Convert.ToDouble(households[codes.IndexOf("mucheng")], CultureInfo.InvariantCulture));
        Assert.Equal(0d, Convert.ToDouble(households[codes.IndexOf("sanyang")], CultureInfo.InvariantCulture));
        Assert.Equal(["事项编号", "政策", "阶段", "乡镇", "对象", "到期日", "逾期天数", "责任部门"],
            workbook.Query(useHeaderRow: false, sheetName: "逾期事项").Cast<IDictionary<string, object>>().First().Values.Select(v => (string)v));
        var about = workbook.Query(useHeaderRow: false, sheetName: "说明").Cast<IDictionary<string, object>>().Select(r => r.Values.ToList()).ToList();
        Assert.Contains(about, r => (string)r[0] == "未签协议户" && (string)r[1] == "withoutAgreement");
    }

    /// <summary>Every figure is named once, in Chinese and in English, and the printable page's names are those.</summary>
    [Fact]
    public void Every_figure_has_a_Chinese_and_an_English_label()
    {
        Assert.All(DispatchMetrics.All, metric =>
        {
            var label = Relief.Api.Dispatch.Report.FigureLabels.Of(metric);
            Assert.Matches("\\p{IsCJKUnifiedIdeographs}", label.Chinese);
            Assert.Matches("^[\\p{IsBasicLatin}…–]+$", label.English);
            Assert.Equal(label.Both, DispatchMetrics.Labels[metric]);
        });
    }

    [ChromiumFact]
    public async Task The_printable_page_shows_the_figures_the_charts_and_the_overdue_list_in_a_browser()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.FamilyWithLoanUnderVerification("sanyang");
        Clock.Advance(TimeSpan.FromDays(28));
        await Api.HouseholdWithNeighbourAgreement("sanyang");
        await Api.ProjectionsCaughtUp();
        var week = Relief.Core.Calendar.ChinaTime.WeekOf(Clock.GetUtcNow()).ToString();

        var response = await Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{week}.html", key: Keys.Reports);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = Path.Combine(Path.GetTempPath(), $"relief-dispatch-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(page, await response.Content.ReadAsStringAsync());
        try
        {
            await using var browser = await HeadlessChromium.OpenAsync(new Uri(page).AbsoluteUri);
            var seen = await browser.EvaluateAsync<JsonElement>("""
                ({
                  title: document.querySelector('h1').textContent,
                  households: document.querySelector('#county-figures tr[data-metric=households] td.value').textContent,
                  trendCharts: document.querySelectorAll('svg.chart.trend').length,
                  townshipCharts: document.querySelectorAll('svg.chart.townships').length,
                  drawn: [...document.querySelectorAll('svg.chart')].every(s => s.getBoundingClientRect().width > 100 && s.getBoundingClientRect().height > 50),
                  householdLine: document.querySelectorAll('svg.trend[data-metric=households] circle.point').length,
                  sanyangBar: document.querySelector('svg.townships[data-metric=households] rect[data-township=sanyang]').getBoundingClientRect().width,
                  overdue: [...document.querySelectorAll('#overdue-cases tr[data-case]')].map(r => r.cells[5].textContent),
                })
                """);

            Assert.Contains(week, seen.GetProperty("title").GetString());
            // Two households, and the one the loan family cares for (the eligibility chain).
            Assert.Equal("3", seen.GetProperty("households").GetString());
            Assert.Equal(Relief.Api.Dispatch.Report.DispatchPage.Trends.Sum(t => t.Metrics.Length), seen.GetProperty("trendCharts").GetInt32());
            Assert.Equal(Relief.Api.Dispatch.Report.DispatchPage.TownshipComparison.Count, seen.GetProperty("townshipCharts").GetInt32());
            Assert.True(seen.GetProperty("drawn").GetBoolean());
            Assert.Equal(5, seen.GetProperty("householdLine").GetInt32()); // 2020-W40 to the week four weeks on
            Assert.True(seen.GetProperty("sanyangBar").GetDouble() > 0);
            Assert.Single(seen.GetProperty("overdue").EnumerateArray());
        }
        finally
        {
            File.Delete(page);
        }
    }

    [Fact]
    public async Task The_printable_page_writes_recorded_text_as_text_never_as_markup()
    {
        // A village named like a script, recorded by a department: it reaches the page in the list of
        // households without an agreement (their label names the village).
        var household = Requests.Household();
        household["village"] = "<script>alert('村')</script>";
        await Api.RegisteredHousehold(household);
        await Api.ProjectionsCaughtUp();
        var week = Relief.Core.Calendar.ChinaTime.WeekOf(Clock.GetUtcNow()).ToString();

        var response = await Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{week}.html", key: Keys.Reports);
        var html = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html);
        // The reports key holds no pii:read: the head's name is masked by the one rule.
        Assert.Contains("&lt;script&gt;alert(&#x27;村&#x27;)&lt;/script&gt; · 张*", html);
        Assert.Contains("<h1>五养八延伸 周工作调度 · Weekly dispatch " + week + "</h1>", html);
    }

    /// <summary>The JSON of each week's report and of its lists (read a line a page), as the API answers them.</summary>
    private async Task<List<string>> Reports(params string[] weeks)
    {
        await Api.ProjectionsCaughtUp();
        var reports = new List<string>();
        foreach (var week in weeks)
        {
            var report = await Api.Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{week}", null, Keys.Reports);
            reports.Add(report.GetRawText());
            foreach (var list in new[] { "overdueCases", "householdsWithoutAgreement" })
                reports.Add(string.Join("\n", (await Api.WeeklyDispatchList(report, list, limit: 1)).Select(i => i.GetRawText())));
        }

        return reports;
    }
}
