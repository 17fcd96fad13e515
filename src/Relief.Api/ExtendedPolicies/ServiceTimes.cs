using Relief.Core.Calendar;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// The service time of each stage of a policy case, in working days (configuration
/// <c>Relief:PolicyCases:ServiceDays</c>, e.g. <c>"UnderVerification": 10</c>); a stage without one
/// has no deadline. Working days skip Saturdays and Sundays only: public holidays and the
/// make-up working weekends of the Chinese calendar are not modelled.
/// </summary>
public sealed class ServiceTimes(IReadOnlyDictionary<CaseStage, int> serviceDays)
{
    /// <summary>Used where configuration says nothing: 5 working days to act on an application, 10 to verify.</summary>
    public static IReadOnlyDictionary<CaseStage, int> Defaults { get; } = new Dictionary<CaseStage, int>
    {
        [CaseStage.Applied] = 5,
        [CaseStage.Eligible] = 5,
        [CaseStage.UnderVerification] = 10,
    };

    public const string Section = "Relief:PolicyCases:ServiceDays";

    public IReadOnlyDictionary<CaseStage, int> ServiceDays { get; } = serviceDays;

    /// <summary>The defaults, overridden stage by stage by configuration (0 removes a stage's deadline).</summary>
    public static ServiceTimes From(IConfiguration configuration)
    {
        var days = new Dictionary<CaseStage, int>(Defaults);
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            if (!Enum.TryParse<CaseStage>(entry.Key, out var stage) || !int.TryParse(entry.Value, out var n) || n < 0)
                throw new InvalidOperationException($"{Section}:{entry.Key} must name a case stage and a number of working days.");
            days[stage] = n;
        }

        return new ServiceTimes(days.Where(d => d.Value > 0).ToDictionary());
    }

    /// <summary>The last day of the stage entered on <paramref name="enteredOn"/>, or null when it has no service time.</summary>
    public DateOnly? DueOn(CaseStage stage, DateOnly enteredOn) =>
        ServiceDays.TryGetValue(stage, out var days) ? AddWorkingDays(enteredOn, days) : null;

    /// <summary>The instant a stage due on <paramref name="dueOn"/> becomes overdue: the next midnight, China time.</summary>
    public static DateTimeOffset OverdueFrom(DateOnly dueOn) =>
        new(dueOn.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);

    /// <summary><paramref name="days"/> working days (Monday to Friday) after <paramref name="from"/>.</summary>
    public static DateOnly AddWorkingDays(DateOnly from, int days)
    {
        var day = from;
        while (days > 0)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) days--;
        }

        return day;
    }
}
