using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relief.Core.Calendar;

/// <summary>
/// An ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday), written
/// <c>2020-W40</c>. The weekly dispatch meeting reports by ISO week.
/// </summary>
public readonly record struct IsoWeek : IComparable<IsoWeek>, IParsable<IsoWeek>
{
    /// <summary>Creates the week; throws when the year has no such week.</summary>
    /// <param name="year">The ISO week-numbering year, 1 to 9999 (may differ from the calendar year near 1 January).</param>
    /// <param name="week">The week, 1 to 52, or 53 in long years.</param>
    public IsoWeek(int year, int week)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(week, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(week, ISOWeek.GetWeeksInYear(year));
        Year = year;
        Week = week;
    }

    /// <summary>The ISO week-numbering year.</summary>
    public int Year { get; }

    /// <summary>The week of the year, 1 to 53.</summary>
    public int Week { get; }

    /// <summary>The Monday that starts the week.</summary>
    public DateOnly Monday => ISOWeek.ToDateOnly(Year, Week, DayOfWeek.Monday);

    /// <summary>The Sunday that ends the week.</summary>
    public DateOnly Sunday => Monday.AddDays(6);

    /// <summary>The week that holds <paramref name="date"/>.</summary>
    public static IsoWeek Of(DateOnly date) => new(ISOWeek.GetYear(date), ISOWeek.GetWeekOfYear(date));

    /// <summary>The week that holds <paramref name="instant"/> on the wall clock of <paramref name="zone"/>.</summary>
    public static IsoWeek Of(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime));
    }

    /// <summary>The following week (across year ends, e.g. 2020-W53 → 2021-W01).</summary>
    public IsoWeek Next() => Of(Monday.AddDays(7));

    /// <summary>The preceding week (across year ends, e.g. 2021-W01 → 2020-W53).</summary>
    public IsoWeek Previous() => Of(Monday.AddDays(-7));

    /// <summary>Parses the strict form <c>YYYY-Www</c>, e.g. <c>2020-W40</c>.</summary>
    /// <exception cref="FormatException">Not of that form, or the year has no such week.</exception>
    public static IsoWeek Parse(string text) =>
        TryParse(text, out var week)
            ? week
            : throw new FormatException(
                $"'{text}' is not an ISO week: expected YYYY-Www with a week the year has, e.g. 2020-W40");

    /// <summary>Parses the strict form <c>YYYY-Www</c>; false when the text is not of that form or the year has no such week.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IsoWeek week)
    {
        week = default;
        if (text is not { Length: 8 } || text[4] != '-' || text[5] != 'W'
            || !IsDigits(text.AsSpan(0, 4)) || !IsDigits(text.AsSpan(6, 2)))
        {
            return false;
        }

        var year = int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var number = int.Parse(text.AsSpan(6, 2), CultureInfo.InvariantCulture);
        if (year < 1 || number < 1 || number > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        week = new IsoWeek(year, number);
        return true;
    }

    /// <inheritdoc cref="Parse(string)"/>
    static IsoWeek IParsable<IsoWeek>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string?, out IsoWeek)"/>
    static bool IParsable<IsoWeek>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out IsoWeek result) =>
        TryParse(s, out result);

    /// <summary>Orders weeks in time.</summary>
    public int CompareTo(IsoWeek other) =>
        Year != other.Year ? Year.CompareTo(other.Year) : Week.CompareTo(other.Week);

    /// <summary>The strict form, e.g. <c>2020-W40</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-W{Week:D2}");

    /// <summary>Earlier than.</summary>
    public static bool operator <(IsoWeek left, IsoWeek right) => left.CompareTo(right) < 0;

    /// <summary>Later than.</summary>
    public static bool operator >(IsoWeek left, IsoWeek right) => left.CompareTo(right) > 0;

    /// <summary>Earlier than or the same week.</summary>
    public static bool operator <=(IsoWeek left, IsoWeek right) => left.CompareTo(right) <= 0;

    /// <summary>Later than or the same week.</summary>
    public static bool operator >=(IsoWeek left, IsoWeek right) => left.CompareTo(right) >= 0;

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
