using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.Report;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Spreadsheets;
using Relief.Api.Infrastructure.Tenancy;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Dispatch.RollUps;

/// <summary>
/// The weekly dispatch of a city or a province (the caller's region): the totals and every county side
/// by side, as it stands or as known on a date, in JSON, CSV, XLSX and as a printable page. Read with a
/// region's credential (<c>reports:region</c>) only: a county's credential is 403, and a region's
/// credential reads nothing of a county but these figures. Each county's week is read from its own report
/// projection (<see cref="RegionalDispatchReader"/>), never from the events; a county that cannot be read is
/// named in <c>leftOut</c> and the answer says it is not <c>complete</c>. When no county could be read at all
/// the answer is a problem: 404 when none has the week, 503 when a county was unreachable.
/// </summary>
public static class GetRegionalDispatchEndpoint
{
    private const string Tag = "Region roll-ups";

    private const string AsOfDescription =
        "The week as known at the end of this day (China time), yyyy-MM-dd: each county's figures as its report stood then. Left out: as it stands.";

    /// <summary>400 for a malformed week or date; 403 for a credential without a region (a backstop: the scope needs one).</summary>
    public static ProblemDetails Validate(string week, string? asOf, HttpContext context)
    {
        if (RegionOf(context.User) is null)
            return Problems.Forbidden($"The roll-ups need a region's credential: the scope {Scopes.RegionReports} with a '{ReliefClaims.Region}'.");
        var errors = new FieldErrors();
        if (!IsoWeek.TryParse(week, out _)) errors.Add("week", "must be an ISO week such as 2020-W40.");
        // A date after today reads the week as known now (as the ledgers' asOf does): nothing is known later yet.
        QueryValues.ValidateDate("asOf", asOf, errors);
        return errors.ToProblem();
    }

    /// <summary>The region's week: totals, each county side by side, the counties left out (JSON).</summary>
    [WolverineGet(RegionalDispatchReport.Route + "/{week}"), Tags(Tag), ProvinceWide]
    [Authorize(Scopes.RegionReports)]
    public static async Task<Results<Ok<RegionalDispatchReport>, ProblemHttpResult>> Get(string week,
        [Query(Description = AsOfDescription)] string? asOf, HttpContext context, RegionalDispatchReader reader, CancellationToken token)
    {
        var (report, problem) = await ReadAsync(week, asOf, context, reader, token);
        return report is null ? TypedResults.Problem(problem!) : TypedResults.Ok(report);
    }

    /// <summary>
    /// The region's week as CSV: row 1 the Chinese headers, row 2 the English codes
    /// (<see cref="RollUpSheets.CsvColumns"/>), then one row per figure of the totals (<c>scope</c> = <c>region</c>)
    /// and of each county (<c>scope</c> = <c>county</c>), then one row per county left out (<c>scope</c> = <c>leftOut</c>,
    /// <c>figure</c> = the reason's code, <c>label</c> its Chinese words, <c>labelEn</c> the detail).
    /// </summary>
    [WolverineGet(RegionalDispatchReport.Route + "/{week}.csv"), Tags(Tag), ProvinceWide]
    [Authorize(Scopes.RegionReports)]
    [Produces("text/csv")]
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCsv(string week,
        [Query(Description = AsOfDescription)] string? asOf, HttpContext context, RegionalDispatchReader reader, CancellationToken token)
    {
        var (report, problem) = await ReadAsync(week, asOf, context, reader, token);
        if (report is null) return TypedResults.Problem(problem!);
        var columns = RollUpSheets.CsvColumns;
        var bytes = SheetWriter.Csv(columns.Select(c => c.Chinese).ToList(), columns.Select(c => c.Code).ToList(), CsvRows(report));
        return TypedResults.File(bytes, "text/csv; charset=utf-8", FileName(report, "csv"));
    }

    /// <summary>
    /// The region's week as a workbook: 指标 (<c>figures</c>: the totals and each county side by side), 未纳入县
    /// (<c>leftOut</c>: the counties left out and why), each with its Chinese headers in row 1 and the English codes
    /// in row 2, and 说明 naming each sheet's English code.
    /// </summary>
    [WolverineGet(RegionalDispatchReport.Route + "/{week}.xlsx"), Tags(Tag), ProvinceWide]
    [Authorize(Scopes.RegionReports)]
    [Produces("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetXlsx(string week,
        [Query(Description = AsOfDescription)] string? asOf, HttpContext context, RegionalDispatchReader reader, CancellationToken token)
    {
        var (report, problem) = await ReadAsync(week, asOf, context, reader, token);
        if (report is null) return TypedResults.Problem(problem!);
        var figureColumns = RollUpSheets.FigureColumns(report.Counties.Select(c => (c.County, c.Name)).ToList());
        var figures = SheetWriter.Sheet(figureColumns.Select(c => c.Chinese).ToList(), figureColumns.Select(c => c.Code).ToList(),
            DispatchMetrics.All.Select(metric =>
            {
                var label = FigureLabels.Of(metric);
                var row = new List<object?> { metric, label.Chinese, label.English, report.Totals[metric].Value, report.Totals[metric].Change };
                foreach (var county in report.Counties)
                {
                    row.Add(county.Figures[metric].Value);
                    row.Add(county.Figures[metric].Change);
                }

                return (IReadOnlyList<object?>)row;
            }));
        var leftOut = SheetWriter.Sheet(RollUpSheets.LeftOutColumns.Select(c => c.Chinese).ToList(), RollUpSheets.LeftOutColumns.Select(c => c.Code).ToList(),
            report.LeftOut.Select(l => (IReadOnlyList<object?>)[l.County, l.Name, l.Reason.ToString(), RollUpSheets.Chinese(l.Reason), l.Detail]));
        var sheets = SheetWriter.Sheet(["工作表", "代码", "内容"], ["sheet", "code", "content"],
            RollUpSheets.Sheets.Select(s => (IReadOnlyList<object?>)[s.Chinese, s.Code, s.Content]));
        var workbook = await SheetWriter.WorkbookAsync(
        [
            (RollUpSheets.Figures.Chinese, figures), (RollUpSheets.LeftOut.Chinese, leftOut), (ReportSheets.About, sheets),
        ], token);
        return TypedResults.File(workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileName(report, "xlsx"));
    }

    /// <summary>The printable page: the totals and every county side by side, and the counties left out (Chinese and English).</summary>
    [WolverineGet(RegionalDispatchReport.Route + "/{week}.html"), Tags(Tag), ProvinceWide]
    [Authorize(Scopes.RegionReports)]
    [Produces("text/html")]
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetPage(string week,
        [Query(Description = AsOfDescription)] string? asOf, HttpContext context, RegionalDispatchReader reader, HttpResponse response,
        CancellationToken token)
    {
        var (report, problem) = await ReadAsync(week, asOf, context, reader, token);
        if (report is null) return TypedResults.Problem(problem!);
        var html = await DispatchPage.RenderAsync<RegionalDispatchPageView>(new Dictionary<string, object?>
        {
            [nameof(RegionalDispatchPageView.Report)] = report,
            [nameof(RegionalDispatchPageView.Text)] = ReportText.Bilingual,
        });
        response.Headers.ContentSecurityPolicy = DispatchPage.ContentSecurityPolicy;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The caller's region (from its credential only), or null when it names none.</summary>
    public static Region? RegionOf(ClaimsPrincipal user) => Region.Parse(user.FindFirstValue(ReliefClaims.Region), out _);

    /// <summary>The roll-up, or the problem when no county of the region could be read: 404 when none has the week, 503 when one was unreachable.</summary>
    private static async Task<(RegionalDispatchReport? Report, ProblemDetails? Problem)> ReadAsync(string week, string? asOf, HttpContext context,
        RegionalDispatchReader reader, CancellationToken token)
    {
        var region = RegionOf(context.User)!;
        var isoWeek = IsoWeek.Parse(week);
        var day = QueryValues.Date(asOf);
        var reads = await reader.ReadAsync(region, isoWeek, day, token);
        var report = RegionalDispatchReport.Of(region, isoWeek, day, reads);
        if (report.Counties.Count > 0) return (report, null);
        if (reads.Count == 0 || reads.All(r => r.LeftOut == LeftOutReason.NotServed))
        {
            return (null, Problems.NotFound("No county of the region is served here.",
                $"This Relief serves no county of the region '{region.Code}'."));
        }

        var known = day is { } d ? $" as known at the end of {d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "";
        if (report.LeftOut.Any(l => l.Reason == LeftOutReason.Unreachable))
        {
            var unavailable = new ProblemDetails
            {
                Type = ProblemTypes.CountiesUnreachable,
                Title = "No county of the region could be read.",
                Detail = $"Of the region's {reads.Count} counties none answered with {isoWeek}{known}: see leftOut.",
                Status = StatusCodes.Status503ServiceUnavailable,
            };
            unavailable.Extensions["leftOut"] = report.LeftOut;
            return (null, unavailable);
        }

        return (null, Problems.NotFound("No report for this week",
            $"No county of the region '{region.Code}' has a weekly dispatch report for {isoWeek}{known}: a week is written once something dated in it or later has been recorded."));
    }

    private static IEnumerable<IReadOnlyList<string?>> CsvRows(RegionalDispatchReport report)
    {
        var asOf = report.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        IReadOnlyList<string?> Row(string scope, string county, string name, string metric, FigureValue figure) =>
        [
            report.Week, asOf, scope, county, name, metric, FigureLabels.Of(metric).Chinese, FigureLabels.Of(metric).English,
            figure.Value.ToString(CultureInfo.InvariantCulture), figure.Change.ToString(CultureInfo.InvariantCulture),
        ];

        foreach (var metric in DispatchMetrics.All) yield return Row("region", report.Region, "合计", metric, report.Totals[metric]);
        foreach (var county in report.Counties)
        foreach (var metric in DispatchMetrics.All)
            yield return Row("county", county.County, county.Name, metric, county.Figures[metric]);
        foreach (var left in report.LeftOut)
            yield return [report.Week, asOf, "leftOut", left.County, left.Name, left.Reason.ToString(), RollUpSheets.Chinese(left.Reason), left.Detail, null, null];
    }

    private static string FileName(RegionalDispatchReport report, string extension) =>
        $"weekly-dispatch-region-{report.Region.Replace(' ', '-')}-{report.Week}{(report.AsOf is { } d ? d.ToString("-'as-of-'yyyy-MM-dd", CultureInfo.InvariantCulture) : "")}.{extension}";
}
