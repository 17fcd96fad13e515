namespace Relief.Core.Calendar;

/// <summary>
/// China Standard Time (UTC+8, no daylight saving), the county's wall clock. Built in code so it
/// works on machines without time-zone data.
/// </summary>
public static class ChinaTime
{
    /// <summary>The offset from UTC: 8 hours, all year.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>China Standard Time as a time zone.</summary>
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.CreateCustomTimeZone(
        "China Standard Time", Offset, "China Standard Time", "China Standard Time");

    /// <summary>The date in China at <paramref name="now"/>.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Offset).DateTime);

    /// <summary>The ISO week in China at <paramref name="now"/>.</summary>
    public static IsoWeek WeekOf(DateTimeOffset now) => IsoWeek.Of(Today(now));

    /// <summary>The instant the week starts: Monday 00:00 China Standard Time.</summary>
    public static DateTimeOffset StartOfWeek(IsoWeek week) => new(week.Monday.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>The instant the week ends: Sunday 24:00 (the next Monday 00:00) China Standard Time.</summary>
    public static DateTimeOffset EndOfWeek(IsoWeek week) => StartOfWeek(week).AddDays(7);
}
