using System.Globalization;
using Relief.Core.Calendar;

namespace Relief.Core.Tests.Calendar;

public class IsoWeekTests
{
    [Theory]
    [InlineData("2020-12-28", 2020, 53)] // Monday of 2020's week 53
    [InlineData("2020-12-31", 2020, 53)]
    [InlineData("2021-01-01", 2020, 53)]
    [InlineData("2021-01-03", 2020, 53)] // Sunday: still the last week of 2020
    [InlineData("2021-01-04", 2021, 1)]
    [InlineData("2019-12-30", 2020, 1)]  // a Monday in December that belongs to 2020
    [InlineData("2019-12-29", 2019, 52)]
    [InlineData("2020-04-01", 2020, 14)] // the mechanism's launch month
    [InlineData("2020-10-01", 2020, 40)]
    public void Of_a_date_handles_year_boundaries(string date, int year, int week)
    {
        Assert.Equal(new IsoWeek(year, week), IsoWeek.Of(DateOnly.Parse(date, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2020-W40", 2020, 40)]
    [InlineData("2020-W53", 2020, 53)]
    [InlineData("2021-W01", 2021, 1)]
    [InlineData("2026-W53", 2026, 53)]
    [InlineData("0001-W01", 1, 1)]
    public void Parses_the_strict_form(string text, int year, int week)
    {
        var parsed = IsoWeek.Parse(text);

        Assert.Equal(year, parsed.Year);
        Assert.Equal(week, parsed.Week);
        Assert.True(IsoWeek.TryParse(text, out var tried));
        Assert.Equal(parsed, tried);
    }

    [Theory]
    [InlineData("2020-W54")]   // no year has 54 weeks
    [InlineData("2021-W53")]   // 2021 has 52 weeks
    [InlineData("2020-W00")]
    [InlineData("2020W40")]    // no hyphen
    [InlineData("2020-W4")]    // one-digit week
    [InlineData("2020-w40")]   // lowercase w
    [InlineData("20-W40")]
    [InlineData("0000-W01")]
    [InlineData("2020-W40 ")]
    [InlineData(" 2020-W40")]
    [InlineData("2020-W-40")]
    [InlineData("2020-W+4")]
    [InlineData("２０２０-W40")] // full-width digits
    [InlineData("2020-40")]
    [InlineData("2020-W401")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_everything_else(string? text)
    {
        Assert.False(IsoWeek.TryParse(text, out var week));
        Assert.Equal(default, week);
        if (text is not null)
        {
            var error = Assert.Throws<FormatException>(() => IsoWeek.Parse(text));
            Assert.Contains("YYYY-Www", error.Message);
        }
    }

    [Fact]
    public void Is_parsable_through_the_generic_interface()
    {
        Assert.Equal(new IsoWeek(2020, 40), ParseGeneric<IsoWeek>("2020-W40"));
    }

    [Theory]
    [InlineData(2020, 40, "2020-W40")]
    [InlineData(2021, 1, "2021-W01")]
    [InlineData(987, 5, "0987-W05")]
    public void Formats_as_YYYY_Www(int year, int week, string text)
    {
        Assert.Equal(text, new IsoWeek(year, week).ToString());
        Assert.Equal(new IsoWeek(year, week), IsoWeek.Parse(text));
    }

    [Theory]
    [InlineData(2021, 53)]
    [InlineData(2020, 54)]
    [InlineData(2020, 0)]
    [InlineData(0, 1)]
    [InlineData(10000, 1)]
    public void Constructor_refuses_weeks_the_year_does_not_have(int year, int week)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoWeek(year, week));
    }

    [Theory]
    [InlineData(2020, 53, "2020-12-28", "2021-01-03")]
    [InlineData(2021, 1, "2021-01-04", "2021-01-10")]
    [InlineData(2020, 1, "2019-12-30", "2020-01-05")]
    [InlineData(2020, 40, "2020-09-28", "2020-10-04")]
    public void Runs_from_Monday_to_Sunday(int year, int week, string monday, string sunday)
    {
        var isoWeek = new IsoWeek(year, week);

        Assert.Equal(DateOnly.Parse(monday, CultureInfo.InvariantCulture), isoWeek.Monday);
        Assert.Equal(DateOnly.Parse(sunday, CultureInfo.InvariantCulture), isoWeek.Sunday);
        Assert.Equal(DayOfWeek.Monday, isoWeek.Monday.DayOfWeek);
        Assert.Equal(DayOfWeek.Sunday, isoWeek.Sunday.DayOfWeek);
    }

    [Theory]
    [InlineData("2020-W40", "2020-W41")]
    [InlineData("2020-W52", "2020-W53")]
    [InlineData("2020-W53", "2021-W01")]
    [InlineData("2021-W52", "2022-W01")]
    public void Next_and_Previous_cross_year_ends(string week, string next)
    {
        Assert.Equal(IsoWeek.Parse(next), IsoWeek.Parse(week).Next());
        Assert.Equal(IsoWeek.Parse(week), IsoWeek.Parse(next).Previous());
    }

    [Fact]
    public void Every_day_of_a_week_belongs_to_it()
    {
        var week = new IsoWeek(2020, 53);

        for (var day = week.Monday; day <= week.Sunday; day = day.AddDays(1))
        {
            Assert.Equal(week, IsoWeek.Of(day));
        }
    }

    [Fact]
    public void Orders_weeks_in_time()
    {
        var weeks = new[] { IsoWeek.Parse("2021-W01"), IsoWeek.Parse("2020-W53"), IsoWeek.Parse("2020-W09") };

        Assert.Equal(["2020-W09", "2020-W53", "2021-W01"], weeks.Order().Select(w => w.ToString()));
        Assert.True(IsoWeek.Parse("2020-W53") < IsoWeek.Parse("2021-W01"));
        Assert.True(IsoWeek.Parse("2021-W02") > IsoWeek.Parse("2021-W01"));
        Assert.True(IsoWeek.Parse("2021-W01") <= IsoWeek.Parse("2021-W01"));
        Assert.True(IsoWeek.Parse("2021-W01") >= IsoWeek.Parse("2021-W01"));
    }

    [Fact]
    public void Of_an_instant_uses_the_wall_clock_of_the_zone()
    {
        // Sunday 2021-01-03 17:00 UTC is Monday 2021-01-04 01:00 in China.
        var instant = new DateTimeOffset(2021, 1, 3, 17, 0, 0, TimeSpan.Zero);

        Assert.Equal(new IsoWeek(2021, 1), IsoWeek.Of(instant, ChinaTime.Zone));
        Assert.Equal(new IsoWeek(2020, 53), IsoWeek.Of(instant, TimeZoneInfo.Utc));
    }

    private static T ParseGeneric<T>(string text) where T : IParsable<T> => T.Parse(text, null);
}
