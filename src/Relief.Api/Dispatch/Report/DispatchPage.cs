using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Relief.Api.Infrastructure.Security;
using M = Relief.Api.Dispatch.DispatchMetrics;

namespace Relief.Api.Dispatch.Report;

/// <summary>
/// The printable page of the weekly dispatch meeting: one self-contained HTML document (no script,
/// no external file: it prints and opens offline), with SVG charts drawn here on the server.
/// </summary>
public static class DispatchPage
{
    /// <summary>How many weeks the trend charts show, ending with the report's week.</summary>
    public const int TrendWeeks = 26;

    /// <summary>The figures with a trend chart, grouped as the meeting discusses them.</summary>
    public static readonly IReadOnlyList<(string Group, string[] Metrics)> Trends =
    [
        ("五养 Five kinds of care", [M.Households, M.HouseholdsCovered, M.CentreResidents, M.CaregiverFamilies]),
        ("家庭医生 Family doctor", [M.FamilyDoctorFamilies, M.FamilyDoctorPeople]),
        ("金融贷款 Loans", [M.LoanIntents, M.LoansVerifying, M.LoansIneligible, M.LoansGranted]),
        ("培训就业 Training and employment", [M.TrainingClasses, M.PeopleTrained, M.JobPlacements]),
        ("其他政策 Other policies", [M.PublicWelfarePosts, M.EntrepreneurshipSupported, M.MedicalAssistanceGranted,
            M.SocialAssistanceGranted, M.CharityAssistanceGranted]),
        ("监督与奖励 Supervision and rewards", [M.ExemplaryDeedMeetings, M.Inspections, M.Evaluations, M.Rewards]),
        ("逾期 Overdue", [M.PolicyCasesOpen, M.PolicyCasesOverdue]),
    ];

    /// <summary>The figures compared township by township.</summary>
    public static readonly IReadOnlyList<string> TownshipComparison =
        [M.Households, M.HouseholdsCovered, M.CaregiverFamilies, M.CentreResidents, M.LoanIntents, M.JobPlacements];

    private static readonly string[] Palette = ["#1f5fa8", "#d9822b", "#3c8d40", "#b0413e", "#7256a3", "#2a9d8f"];

    /// <summary>The page's one style sheet, inline so that the page stands alone; its hash is in the page's policy.</summary>
    private const string Style = """

        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #222; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; border-bottom: 2px solid #1f5fa8; }
        .meta { color: #555; font-size: 13px; }
        table { border-collapse: collapse; font-size: 13px; } th, td { border: 1px solid #bbb; padding: 3px 8px; }
        th { background: #eef2f8; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .up { color: #3c8d40; } .down { color: #b0413e; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        .chart-box { border: 1px solid #ddd; padding: 6px; } .chart-box h3 { font-size: 13px; margin: 0 0 4px; }
        .legend span { display: inline-block; margin-right: 10px; font-size: 11px; }
        @media print { body { margin: 8mm; } h2 { break-after: avoid; } .chart-box, table { break-inside: avoid; } }
        @page { size: A4; margin: 10mm; }

        """;

    /// <summary>The policy also written into the page, so that a saved copy opened from disk keeps it (a meta policy cannot name frame-ancestors).</summary>
    private static readonly string PagePolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// What the page may load: its own style sheet (by hash) and nothing else: no script, no image, no
    /// font, no form, and no frame may hold it. Sent as the answer's Content-Security-Policy header.
    /// </summary>
    public static readonly string ContentSecurityPolicy = $"{PagePolicy}; frame-ancestors 'none'";

    public static string Render(WeeklyDispatchReport report, IReadOnlyList<WeeklyDispatchReport> trend,
        IReadOnlyList<OverdueCaseLine> overdueCases, IReadOnlyList<UncoveredHouseholdLine> householdsWithoutAgreement, TownshipDirectory townships)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>周工作调度 Weekly dispatch {{E(report.Week)}}</title>
            <meta http-equiv="Content-Security-Policy" content="{{PagePolicy}}">
            <style>{{Style}}</style>
            </head>
            <body>
            <h1>五养八延伸 周工作调度 · Weekly dispatch {{E(report.Week)}}</h1>
            <p class="meta">{{report.From:yyyy-MM-dd}} – {{report.To:yyyy-MM-dd}} · 数值为周末时点，变化为本周净变化 (values at the week's end, changes during the week) · last changed by event {{report.LastChangedBy}}</p>
            """);

        html.Append("<h2>全县 County figures</h2>\n<table id=\"county-figures\"><tr><th>指标 Figure</th><th>本周末 Value</th><th>本周变化 Change</th></tr>\n");
        foreach (var metric in M.All)
        {
            var figure = report.County[metric];
            html.Append($"<tr data-metric=\"{metric}\"><td>{E(M.Labels[metric])}</td><td class=\"num value\">{figure.Value:N0}</td><td class=\"num change {(figure.Change > 0 ? "up" : figure.Change < 0 ? "down" : "")}\">{Signed(figure.Change)}</td></tr>\n");
        }

        html.Append("</table>\n");

        html.Append($"<h2>趋势 Trends (last {TrendWeeks} weeks)</h2>\n");
        foreach (var (group, metrics) in Trends)
        {
            html.Append($"<h3>{E(group)}</h3>\n<div class=\"charts\">\n");
            foreach (var metric in metrics) html.Append(TrendChart(metric, trend));
            html.Append("</div>\n");
        }

        html.Append("<h2>乡镇对比 Townships side by side</h2>\n<div class=\"charts\">\n");
        foreach (var metric in TownshipComparison) html.Append(TownshipChart(metric, report.Townships));
        html.Append("</div>\n");

        html.Append("<table id=\"township-figures\"><tr><th>乡镇 Township</th>");
        foreach (var metric in TownshipComparison) html.Append($"<th>{E(M.Labels[metric])}</th>");
        html.Append("</tr>\n");
        foreach (var township in report.Townships)
        {
            html.Append($"<tr data-township=\"{E(township.Township)}\"><td>{E(township.Name)}</td>");
            foreach (var metric in TownshipComparison) html.Append($"<td class=\"num\">{township[metric].Value:N0} <small>({Signed(township[metric].Change)})</small></td>");
            html.Append("</tr>\n");
        }

        html.Append("</table>\n");

        html.Append($"<h2>逾期事项 Overdue cases ({overdueCases.Count})</h2>\n");
        if (overdueCases.Count == 0) html.Append("<p id=\"overdue-none\">无 None.</p>\n");
        else
        {
            html.Append("<table id=\"overdue-cases\"><tr><th>政策 Policy</th><th>环节 Stage</th><th>乡镇 Township</th><th>对象 Subject</th><th>期限 Due</th><th>逾期天数 Days overdue</th><th>责任部门 Owners</th></tr>\n");
            foreach (var line in overdueCases)
            {
                html.Append($"<tr data-case=\"{line.CaseId}\"><td>{E(line.Policy)}</td><td>{E(line.Stage)}</td><td>{E(townships.NameOf(line.Township))}</td><td>{E(line.Subject)}</td><td>{line.DueOn:yyyy-MM-dd}</td><td class=\"num\">{line.DaysOverdue}</td><td>{E(string.Join(", ", line.Owners))}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append($"<h2>未签协议户 Households without an agreement ({householdsWithoutAgreement.Count})</h2>\n");
        if (householdsWithoutAgreement.Count == 0) html.Append("<p id=\"uncovered-none\">无 None.</p>\n");
        else
        {
            html.Append("<table id=\"households-without-agreement\"><tr><th>乡镇 Township</th><th>户 Household</th><th>自 Since</th></tr>\n");
            foreach (var line in householdsWithoutAgreement)
                html.Append($"<tr data-household=\"{line.HouseholdId}\"><td>{E(townships.NameOf(line.Township))}</td><td>{E(line.Subject)}</td><td>{line.Since:yyyy-MM-dd}</td></tr>\n");
            html.Append("</table>\n");
        }

        html.Append(report.AuditAnchor is { } anchor
            ? $"<p class=\"meta\" id=\"audit-anchor\">审计锚点 Audit anchor {anchor.Date:yyyy-MM-dd} · event {anchor.LastSequence} · {E(anchor.Hash)}</p>\n"
            : "<p class=\"meta\" id=\"audit-anchor\">审计锚点 Audit anchor: none yet.</p>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A line chart of one county figure over the trend weeks.</summary>
    private static string TrendChart(string metric, IReadOnlyList<WeeklyDispatchReport> trend)
    {
        const int width = 300, height = 140, left = 40, right = 10, top = 10, bottom = 28;
        var values = trend.Select(t => t.County[metric].Value).ToList();
        var max = Math.Max(1, values.DefaultIfEmpty(0).Max());
        double X(int i) => left + (values.Count <= 1 ? 0 : i * (double)(width - left - right) / (values.Count - 1));
        double Y(int v) => top + (height - top - bottom) * (1 - v / (double)max);

        var svg = new StringBuilder();
        svg.Append($"<div class=\"chart-box\"><h3>{E(M.Labels[metric])}</h3>");
        svg.Append($"<svg class=\"chart trend\" data-metric=\"{metric}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(M.Labels[metric])}\">");
        svg.Append($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#999\"/>");
        svg.Append($"<text x=\"{left - 4}\" y=\"{top + 4}\" font-size=\"10\" text-anchor=\"end\">{max}</text>");
        svg.Append($"<text x=\"{left - 4}\" y=\"{height - bottom}\" font-size=\"10\" text-anchor=\"end\">0</text>");
        if (values.Count > 0)
        {
            var points = string.Join(" ", values.Select((v, i) => F(X(i)) + "," + F(Y(v))));
            svg.Append($"<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"{points}\"/>");
            for (var i = 0; i < values.Count; i++)
                svg.Append($"<circle class=\"point\" cx=\"{F(X(i))}\" cy=\"{F(Y(values[i]))}\" r=\"2\" fill=\"#1f5fa8\"><title>{E(trend[i].Week)}: {values[i]}</title></circle>");
            svg.Append($"<text x=\"{left}\" y=\"{height - 10}\" font-size=\"10\">{E(trend[0].Week)}</text>");
            svg.Append($"<text x=\"{width - right}\" y=\"{height - 10}\" font-size=\"10\" text-anchor=\"end\">{E(trend[^1].Week)}</text>");
        }

        svg.Append("</svg></div>\n");
        return svg.ToString();
    }

    /// <summary>A bar chart of one figure, one bar per township.</summary>
    private static string TownshipChart(string metric, IReadOnlyList<TownshipFigures> townships)
    {
        const int barHeight = 14, gap = 4, labelWidth = 80, width = 330;
        var height = Math.Max(1, townships.Count) * (barHeight + gap) + 10;
        var max = Math.Max(1, townships.Select(t => t[metric].Value).DefaultIfEmpty(0).Max());
        var colour = Palette[TownshipComparison.ToList().IndexOf(metric) % Palette.Length];

        var svg = new StringBuilder();
        svg.Append($"<div class=\"chart-box\"><h3>{E(M.Labels[metric])}</h3>");
        svg.Append($"<svg class=\"chart townships\" data-metric=\"{metric}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(M.Labels[metric])}\">");
        for (var i = 0; i < townships.Count; i++)
        {
            var y = 5 + i * (barHeight + gap);
            var value = townships[i][metric].Value;
            var length = (width - labelWidth - 40) * value / (double)max;
            svg.Append($"<text x=\"{labelWidth - 4}\" y=\"{y + barHeight - 3}\" font-size=\"11\" text-anchor=\"end\">{E(townships[i].Name)}</text>");
            svg.Append($"<rect class=\"bar\" data-township=\"{E(townships[i].Township)}\" x=\"{labelWidth}\" y=\"{y}\" width=\"{F(length)}\" height=\"{barHeight}\" fill=\"{colour}\"><title>{E(townships[i].Name)}: {value}</title></rect>");
            svg.Append($"<text x=\"{F(labelWidth + length + 4)}\" y=\"{y + barHeight - 3}\" font-size=\"11\">{value}</text>");
        }

        svg.Append("</svg></div>\n");
        return svg.ToString();
    }

    private static string Signed(int change) => change > 0 ? $"+{change:N0}" : change.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
