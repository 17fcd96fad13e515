using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Audit.Chain;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Spreadsheets;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Dispatch.Report;

/// <summary>
/// The weekly dispatch report of a week, in JSON, CSV, XLSX and as a printable page. Each reads the
/// one stored document of its week (the printable page also reads the weeks before it, for the
/// trend charts): no event is read at query time, however long the history. The JSON report counts
/// its lists and links to their pages (<see cref="GetWeeklyDispatchListEndpoint"/>), so its size and
/// its read time do not grow with the store; the workbook and the printable page carry the whole lists.
/// </summary>
public static class GetWeeklyDispatchEndpoint
{
    private const string Tag = "Weekly dispatch";

    /// <summary>A stored week (null when the week is malformed or not written yet: <see cref="Validate"/> answers those).</summary>
    public static async Task<WeeklyDispatch?> LoadAsync(string week, IQuerySession session, CancellationToken token) =>
        IsoWeek.TryParse(week, out var isoWeek) ? await session.LoadAsync<WeeklyDispatch>(isoWeek.ToString(), token) : null;

    /// <summary>
    /// Readable with <c>reports:read</c> or <c>households:read</c> (403); a township key sees its own
    /// township's figures. Then 400 for a malformed week, 404 for a week not written yet (also the list routes').
    /// </summary>
    public static ProblemDetails Validate(string week, Caller caller, WeeklyDispatch? doc)
    {
        if (Access(caller) is { } forbidden) return forbidden;
        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            var errors = new FieldErrors();
            errors.Add("week", "must be an ISO week such as 2020-W40.");
            return errors.ToProblem();
        }

        return doc is null
            ? Problems.NotFound("No report for this week",
                $"No weekly dispatch report has been written for {isoWeek}: a week is written once something dated in it or later has been recorded.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>The report's scope rule: <c>reports:read</c> or <c>households:read</c>; null when the caller holds one.</summary>
    public static ProblemDetails? Access(Caller caller) =>
        caller.Has(Scopes.ReportsRead) || caller.Has(Scopes.HouseholdsRead)
            ? null
            : Problems.Forbidden($"The weekly dispatch report needs the scope {Scopes.ReportsRead} or {Scopes.HouseholdsRead}.");

    /// <summary>The report of an ISO week (<c>2020-W40</c>).</summary>
    [WolverineGet("/api/reports/weekly-dispatch/{week}"), Tags(Tag)]
    [Authorize]
    public static async Task<WeeklyDispatchReport> Get(string week, WeeklyDispatch doc, Caller caller, TownshipDirectory townships,
        NpgsqlDataSource dataSource, CancellationToken token) =>
        WeeklyDispatchReport.Of(doc, townships, caller.Township) with
        {
            AuditAnchor = await AuditAnchors.ForDate(dataSource, DateOnly.MaxValue, token),
        };

    /// <summary>
    /// The report as CSV: one row per figure, for the county and each township. Row 1 holds the
    /// Chinese headers the meeting reads, row 2 the English field codes (<see cref="ReportSheets.CsvColumns"/>);
    /// a program reads row 2 as its header and the data from row 3.
    /// </summary>
    [WolverineGet("/api/reports/weekly-dispatch/{week}.csv"), Tags(Tag)]
    [Authorize]
    [Produces("text/csv")]
    public static FileContentHttpResult GetCsv(string week, WeeklyDispatch doc, Caller caller, TownshipDirectory townships)
    {
        var report = WeeklyDispatchReport.Of(doc, townships, caller.Township);
        var columns = ReportSheets.CsvColumns;
        var bytes = SheetWriter.Csv(columns.Select(c => c.Chinese).ToList(), columns.Select(c => c.Code).ToList(),
            Rows(report).Select(row => (IReadOnlyList<string?>)
            [
                row.Week, row.Scope, row.Name, row.Figure, FigureLabels.Of(row.Figure).Chinese, FigureLabels.Of(row.Figure).English,
                row.Value.ToString(CultureInfo.InvariantCulture), row.Change.ToString(CultureInfo.InvariantCulture),
            ]));
        return TypedResults.File(bytes, "text/csv; charset=utf-8", $"weekly-dispatch-{report.Week}.csv");
    }

    /// <summary>
    /// The report as an Excel workbook, Chinese first: 指标 (the figures, county and townships side by
    /// side), 逾期事项 (overdue cases), 未签协议户 (households without an agreement), each with its Chinese
    /// headers in row 1 and the English field codes in row 2, and 说明 naming each sheet's English code.
    /// </summary>
    [WolverineGet("/api/reports/weekly-dispatch/{week}.xlsx"), Tags(Tag)]
    [Authorize]
    [Produces("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public static async Task<FileContentHttpResult> GetXlsx(string week, WeeklyDispatch doc, Caller caller, TownshipDirectory townships,
        OwnershipTable ownership, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var report = WeeklyDispatchReport.Of(doc, townships, caller.Township);
        var (overdueLines, uncoveredLines) = await WholeListsAsync(doc, caller, ownership, session, vault, token);

        var figureColumns = ReportSheets.FigureColumns(report.Townships.Select(t => (t.Township, t.Name)).ToList());
        var figures = SheetWriter.Sheet(figureColumns.Select(c => c.Chinese).ToList(), figureColumns.Select(c => c.Code).ToList(),
            DispatchMetrics.All.Select(metric =>
            {
                var label = FigureLabels.Of(metric);
                var row = new List<object?> { metric, label.Chinese, label.English, report.County[metric].Value, report.County[metric].Change };
                foreach (var township in report.Townships)
                {
                    row.Add(township[metric].Value);
                    row.Add(township[metric].Change);
                }

                return (IReadOnlyList<object?>)row;
            }));
        var overdue = SheetWriter.Sheet(ReportSheets.OverdueColumns.Select(c => c.Chinese).ToList(), ReportSheets.OverdueColumns.Select(c => c.Code).ToList(),
            overdueLines.Select(o => (IReadOnlyList<object?>)
            [
                o.CaseId.ToString(), o.Policy.ToString(), o.Stage.ToString(), townships.NameOf(o.Township), o.Subject,
                o.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), o.DaysOverdue, string.Join(", ", o.Owners),
            ]));
        var uncovered = SheetWriter.Sheet(ReportSheets.UncoveredColumns.Select(c => c.Chinese).ToList(),
            ReportSheets.UncoveredColumns.Select(c => c.Code).ToList(),
            uncoveredLines.Select(u => (IReadOnlyList<object?>)
            [
                u.HouseholdId.ToString(), townships.NameOf(u.Township), u.Subject, u.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ]));
        var sheets = SheetWriter.Sheet(["工作表", "代码", "内容"], ["sheet", "code", "content"],
            ReportSheets.Sheets.Select(s => (IReadOnlyList<object?>)[s.Chinese, s.Code, s.Content]));

        var workbook = await SheetWriter.WorkbookAsync(
        [
            (ReportSheets.Figures.Chinese, figures), (ReportSheets.Overdue.Chinese, overdue), (ReportSheets.Uncovered.Chinese, uncovered),
            (ReportSheets.About, sheets),
        ], token);
        return TypedResults.File(workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"weekly-dispatch-{report.Week}.xlsx");
    }

    /// <summary>The printable page for the meeting: the figures, each policy's trend over the weeks, townships side by side, the overdue list.</summary>
    [WolverineGet("/api/reports/weekly-dispatch/{week}.html"), Tags(Tag)]
    [Authorize]
    [Produces("text/html")]
    public static async Task<ContentHttpResult> GetPage(string week, WeeklyDispatch doc, Caller caller, TownshipDirectory townships,
        OwnershipTable ownership, IQuerySession session, NpgsqlDataSource dataSource, PersonalDataVault vault, HttpResponse response,
        CancellationToken token)
    {
        var report = WeeklyDispatchReport.Of(doc, townships, caller.Township) with
        {
            AuditAnchor = await AuditAnchors.ForDate(dataSource, DateOnly.MaxValue, token),
        };
        var (overdue, uncovered) = await WholeListsAsync(doc, caller, ownership, session, vault, token);
        var earliest = doc.From.AddDays(-7 * (DispatchPage.TrendWeeks - 1));
        var trend = await session.Query<WeeklyDispatch>()
            .Where(x => x.From >= earliest && x.From <= doc.From)
            .OrderBy(x => x.From)
            .ToListAsync(token);
        var html = await DispatchPage.RenderAsync(report, trend.Select(w => WeeklyDispatchReport.Of(w, townships, caller.Township)).ToList(),
            overdue, uncovered, townships, await CareModes.AtAsync(session, doc.To, caller.Township, token));
        response.Headers.ContentSecurityPolicy = DispatchPage.ContentSecurityPolicy;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>One CSV row: a figure of the county or of a township.</summary>
    public sealed record CsvRow(string Week, string Scope, string Name, string Figure, int Value, int Change);

    private static IEnumerable<CsvRow> Rows(WeeklyDispatchReport report)
    {
        foreach (var metric in DispatchMetrics.All)
            yield return new CsvRow(report.Week, "county", "县", metric, report.County[metric].Value,
                report.County[metric].Change);
        foreach (var township in report.Townships)
        foreach (var metric in DispatchMetrics.All)
            yield return new CsvRow(report.Week, township.Township, township.Name, metric,
                township[metric].Value, township[metric].Change);
    }

    /// <summary>Both lists of a week, whole (the downloads and the printable page), for the caller's township when bound to one.</summary>
    private static async Task<(List<OverdueCaseLine> Overdue, List<UncoveredHouseholdLine> Uncovered)> WholeListsAsync(WeeklyDispatch doc,
        Caller caller, OwnershipTable ownership, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var names = caller.Has(Scopes.PiiRead);
        var overdue = await DispatchLabels.ResolveAsync(
            await DispatchListQuery.ReadAsync(session, doc, DispatchList.OverdueCase, caller.Township, null, null, token), names, session, vault, token);
        var uncovered = await DispatchLabels.ResolveAsync(
            await DispatchListQuery.ReadAsync(session, doc, DispatchList.HouseholdWithoutAgreement, caller.Township, null, null, token),
            names, session, vault, token);
        return (overdue.Select(i => WeeklyDispatchReport.OverdueLine(i, doc.To, ownership)).ToList(),
            uncovered.Select(WeeklyDispatchReport.UncoveredLine).ToList());
    }
}

/// <summary>The report of the latest week written up to today (China time).</summary>
public static class GetLatestWeeklyDispatchEndpoint
{
    /// <summary>The latest week written up to today, or null when nothing has been counted yet.</summary>
    public static Task<WeeklyDispatch?> LoadAsync(IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var today = ChinaTime.Today(now);
        return session.Query<WeeklyDispatch>().Where(x => x.From <= today).OrderByDescending(x => x.From).FirstOrDefaultAsync(token);
    }

    /// <summary>The report's scope rule (403), then 404 until anything has been counted.</summary>
    public static ProblemDetails Validate(Caller caller, WeeklyDispatch? doc) =>
        GetWeeklyDispatchEndpoint.Access(caller)
        ?? (doc is null
            ? Problems.NotFound("No weekly dispatch report yet",
                "Nothing has been counted yet: the report is written as events are recorded (asynchronously, within about a second).")
            : WolverineContinue.NoProblems);

    /// <summary>The report of the latest week written up to today (China time).</summary>
    [WolverineGet("/api/reports/weekly-dispatch/latest"), Tags("Weekly dispatch")]
    [Authorize]
    public static async Task<WeeklyDispatchReport> GetLatest(WeeklyDispatch doc, Caller caller, TownshipDirectory townships,
        NpgsqlDataSource dataSource, CancellationToken token) =>
        WeeklyDispatchReport.Of(doc, townships, caller.Township) with
        {
            AuditAnchor = await AuditAnchors.ForDate(dataSource, DateOnly.MaxValue, token),
        };
}
