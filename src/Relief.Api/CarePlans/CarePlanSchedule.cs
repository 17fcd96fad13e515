using Relief.Api.CareAgreements;
using Relief.Core.Calendar;

namespace Relief.Api.CarePlans;

/// <summary>
/// The calendar of plans and visits (configuration <c>Relief:CarePlans</c>): how many days before its
/// date a review falls due (<c>ReviewDueDays</c>, default 30), and the interval of follow-up visits
/// (随访) to centre residents (<c>FollowUpDays:CentreResident</c>, default 90) and to households cared
/// for at home (<c>FollowUpDays:HomeCare</c>, default 30). A household with both is visited at the
/// shorter interval. What a plan was decided with is written into its events, so a later change of
/// configuration leaves earlier dates as they were.
/// </summary>
public sealed class CarePlanSchedule(int reviewDueDays, int centreResidentDays, int homeCareDays)
{
    public const string Section = "Relief:CarePlans";

    public int ReviewDueDays { get; } = reviewDueDays;
    public int CentreResidentDays { get; } = centreResidentDays;
    public int HomeCareDays { get; } = homeCareDays;

    public static CarePlanSchedule From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new CarePlanSchedule(
            Days(section, "ReviewDueDays", 30, allowZero: true),
            Days(section, "FollowUpDays:CentreResident", 90),
            Days(section, "FollowUpDays:HomeCare", 30));
    }

    private static int Days(IConfigurationSection section, string key, int fallback, bool allowZero = false)
    {
        var text = section[key];
        if (text is null) return fallback;
        return int.TryParse(text, out var days) && (days > 0 || (allowZero && days == 0))
            ? days
            : throw new InvalidOperationException($"{Section}:{key} must be a number of days.");
    }

    /// <summary>The day a review due by <paramref name="reviewOn"/> falls due.</summary>
    public DateOnly ReviewDueFrom(DateOnly reviewOn) => reviewOn.AddDays(-ReviewDueDays);

    /// <summary>The follow-up interval of a plan's care: the shorter of the centre's and the home's; null with no care.</summary>
    public int? FollowUpInterval(IEnumerable<PlanCare> care)
    {
        var modes = care.Select(c => c.Mode).ToList();
        int? days = null;
        if (modes.Contains(CareMode.CentralisedCare)) days = CentreResidentDays;
        if (modes.Any(m => m != CareMode.CentralisedCare)) days = days is { } d && d < HomeCareDays ? d : HomeCareDays;
        return days;
    }

    /// <summary>The next follow-up visit after <paramref name="from"/> for this care, or null.</summary>
    public DateOnly? NextFollowUp(DateOnly from, IEnumerable<PlanCare> care) =>
        FollowUpInterval(care) is { } days ? from.AddDays(days) : null;

    /// <summary>The instant a day begins, China time.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
}
