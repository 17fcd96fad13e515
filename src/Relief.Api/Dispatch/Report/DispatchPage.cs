using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging.Abstractions;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Security;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Report;

/// <summary>
/// The printable page of the weekly dispatch meeting: one self-contained HTML document (no script,
/// no external file: it prints and opens offline), with SVG charts drawn here on the server. Its
/// markup is the Razor component <see cref="DispatchPageView"/> (with <see cref="TrendChart"/> and
/// <see cref="TownshipChart"/>), rendered to HTML by <see cref="HtmlRenderer"/>.
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

    /// <summary>The figures of the care-plan work (一户一策), shown as a group on the county and township pages.</summary>
    public static readonly IReadOnlyList<string> CareGroup =
    [
        M.CarePlansActive, M.CarePlansDueForReview, M.CarePlansOverdue, M.HouseholdsWithoutCarePlan, M.OutreachVisits, M.FollowUpVisits,
        M.FollowUpVisitsDue, M.NeedsUnmet, M.VerificationRoundsOpen, M.VerificationRoundsClosed, M.EvaluationsDue, M.EvaluationsMissing,
        M.HappinessIndex, M.HappinessHouseholds,
    ];

    /// <summary>The figures compared township by township.</summary>
    public static readonly IReadOnlyList<string> TownshipComparison =
        [M.Households, M.HouseholdsCovered, M.CaregiverFamilies, M.CentreResidents, M.LoanIntents, M.JobPlacements];

    internal static readonly string[] Palette = ["#1f5fa8", "#d9822b", "#3c8d40", "#b0413e", "#7256a3", "#2a9d8f"];

    /// <summary>The page's one style sheet, inline so that the page stands alone; its hash is in the page's policy.</summary>
    internal const string Style = """

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
    internal static readonly string PagePolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// What the page may load: its own style sheet (by hash) and nothing else: no script, no image, no
    /// font, no form, and no frame may hold it. Sent as the answer's Content-Security-Policy header.
    /// </summary>
    public static readonly string ContentSecurityPolicy = $"{PagePolicy}; frame-ancestors 'none'";

    private static readonly IServiceProvider RendererServices = new ServiceCollection()
        // Encodes what HTML needs encoded (< > & " '), and leaves the Chinese text readable.
        .AddSingleton(HtmlEncoder.Create(UnicodeRanges.All))
        .BuildServiceProvider();

    /// <summary>The page, rendered from its Razor component (<see cref="DispatchPageView"/>), which encodes every value it writes.</summary>
    public static Task<string> RenderAsync(WeeklyDispatchReport report, IReadOnlyList<WeeklyDispatchReport> trend,
        IReadOnlyList<OverdueCaseLine> overdueCases, IReadOnlyList<UncoveredHouseholdLine> householdsWithoutAgreement, TownshipDirectory townships,
        IReadOnlyList<CareModeCount> careModes, ReportText? text = null, Meeting.MeetingFrame? frame = null,
        IReadOnlyDictionary<string, int>? listCounts = null) =>
        RenderAsync<DispatchPageView>(new Dictionary<string, object?>
        {
            [nameof(DispatchPageView.Report)] = report,
            [nameof(DispatchPageView.Trend)] = trend,
            [nameof(DispatchPageView.OverdueCases)] = overdueCases,
            [nameof(DispatchPageView.HouseholdsWithoutAgreement)] = householdsWithoutAgreement,
            [nameof(DispatchPageView.Townships)] = townships,
            [nameof(DispatchPageView.CareModes)] = careModes,
            [nameof(DispatchPageView.Text)] = text ?? ReportText.Bilingual,
            [nameof(DispatchPageView.Frame)] = frame,
            [nameof(DispatchPageView.ListCounts)] = listCounts ?? new Dictionary<string, int>(),
        });

    /// <summary>A whole page from a Razor component (this page, or one of the meeting's), as an HTML document.</summary>
    public static async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(RendererServices, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        return $"<!DOCTYPE html>\n{html}\n";
    }

    /// <summary>The classes of a change's cell: up or down coloured.</summary>
    internal static string ChangeClass(int change) => $"num change {(change > 0 ? "up" : change < 0 ? "down" : "")}";

    internal static string Signed(int change) => change > 0 ? $"+{change:N0}" : change.ToString("N0", CultureInfo.InvariantCulture);

    internal static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
