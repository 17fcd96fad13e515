using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.Report;

namespace Relief.Api.Meeting;

/// <summary>
/// A list behind a figure, as the meeting opens it (<c>/meeting/{week}/lists/{slug}</c>).
/// <see cref="AtWeekEnd"/>: the list as the week showed it at its end (the report's own lists); otherwise the
/// list as it stands now (the care plans' and the needs' lists keep no weekly copy), which the page says.
/// </summary>
public sealed record MeetingList(string Slug, string Chinese, string English, bool AtWeekEnd)
{
    public string Title(ReportText text) => text.Say(Chinese, English);
}

public static class MeetingLists
{
    public static readonly MeetingList OverdueCases = new("overdue-cases", "逾期事项", "Overdue cases", true);
    public static readonly MeetingList WithoutAgreement = new("households-without-agreement", "未签协议户", "Households without an agreement", true);
    public static readonly MeetingList WithoutPlan = new("households-without-plan", "未制定一户一策户", "Households without a care plan in force", false);
    public static readonly MeetingList NeedsUnmet = new("needs-unmet", "需求未落实", "Needs not yet met", false);

    public static readonly IReadOnlyList<MeetingList> All = [OverdueCases, WithoutAgreement, WithoutPlan, NeedsUnmet];

    public static MeetingList? Find(string slug) => All.FirstOrDefault(l => l.Slug == slug);

    /// <summary>How many items each list counts in the week (for the county, or a township): the week's own figures.</summary>
    public static IReadOnlyDictionary<string, int> CountsOf(WeeklyDispatch doc, string? township)
    {
        var figures = township is null ? doc.County : doc.Townships.GetValueOrDefault(township) ?? [];
        int Of(string metric) => figures.GetValueOrDefault(metric)?.Value ?? 0;
        return new Dictionary<string, int>
        {
            [OverdueCases.Slug] = Of(DispatchLists.OverdueCases),
            [WithoutAgreement.Slug] = Of(DispatchLists.HouseholdsWithoutAgreement),
            [WithoutPlan.Slug] = Of(DispatchMetrics.HouseholdsWithoutCarePlan),
            [NeedsUnmet.Slug] = Of(DispatchMetrics.NeedsUnmet),
        };
    }
}
