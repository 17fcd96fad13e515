using System.Globalization;
using Relief.Core.Calendar;

namespace Relief.Core.Tests.Calendar;

public class ChinaTimeTests
{
    [Fact]
    public void Zone_is_UTC_plus_8_without_daylight_saving()
    {
        var zone = ChinaTime.Zone;

        Assert.Equal("China Standard Time", zone.Id);
        Assert.Equal(TimeSpan.FromHours(8), zone.BaseUtcOffset);
        Assert.False(zone.SupportsDaylightSavingTime);
        Assert.Equal(TimeSpan.FromHours(8), zone.GetUtcOffset(new DateTimeOffset(2020, 7, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(8), zone.GetUtcOffset(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2020-09-30T15:59:59+00:00", "2020-09-30")]
    [InlineData("2020-09-30T16:00:00+00:00", "2020-10-01")] // midnight in China
    [InlineData("2020-10-01T00:30:00+08:00", "2020-10-01")]
    [InlineData("2020-09-30T12:00:00-05:00", "2020-10-01")] // 17:00 UTC, 01:00 in China
    public void Today_is_the_date_on_the_wall_clock_in_China(string now, string today)
    {
        Assert.Equal(DateOnly.Parse(today, CultureInfo.InvariantCulture), ChinaTime.Today(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Week_of_now_follows_the_date_in_China()
    {
        // Sunday 2021-01-03 20:00 UTC is already Monday 2021-01-04 in China.
        var now = new DateTimeOffset(2021, 1, 3, 20, 0, 0, TimeSpan.Zero);

        Assert.Equal(new IsoWeek(2021, 1), ChinaTime.WeekOf(now));
    }

    [Fact]
    public void End_of_week_is_Sunday_24_00_in_China()
    {
        var end = ChinaTime.EndOfWeek(new IsoWeek(2020, 53));

        // Sunday 2021-01-03 24:00 CST = Monday 2021-01-04 00:00 +08:00 = Sunday 2021-01-03 16:00 UTC.
        Assert.Equal(new DateTimeOffset(2021, 1, 3, 16, 0, 0, TimeSpan.Zero), end);
        Assert.Equal(TimeSpan.FromHours(8), end.Offset);
        Assert.Equal(new DateTime(2021, 1, 4), end.DateTime);
    }

    [Fact]
    public void Start_of_week_is_Monday_00_00_in_China_and_weeks_tile()
    {
        var week = new IsoWeek(2020, 40);

        Assert.Equal(new DateTimeOffset(2020, 9, 27, 16, 0, 0, TimeSpan.Zero), ChinaTime.StartOfWeek(week));
        Assert.Equal(ChinaTime.EndOfWeek(week), ChinaTime.StartOfWeek(week.Next()));
        Assert.Equal(TimeSpan.FromDays(7), ChinaTime.EndOfWeek(week) - ChinaTime.StartOfWeek(week));
    }

    [Fact]
    public void The_last_instant_before_the_end_belongs_to_the_week()
    {
        var week = new IsoWeek(2020, 53);
        var end = ChinaTime.EndOfWeek(week);

        Assert.Equal(week, ChinaTime.WeekOf(end.AddTicks(-1)));
        Assert.Equal(week.Next(), ChinaTime.WeekOf(end));
    }
}
