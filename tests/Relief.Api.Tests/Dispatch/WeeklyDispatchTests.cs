using System.Text.Json;
using Relief.Api.Tests.Support;

namespace Relief.Api.Tests.Dispatch;

public sealed class WeeklyDispatchTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_household_and_its_agreement_count_in_the_week_they_happened_for_the_county_and_its_township()
    {
        await Api.HouseholdWithNeighbourAgreement("mucheng");

        var report = await Api.WeeklyDispatch("2020-W40");

        Assert.Equal("2020-W40", report.GetProperty("week").GetString());
        Assert.Equal("2020-09-28", report.GetProperty("from").GetString());
        Assert.Equal("2020-10-04", report.GetProperty("to").GetString());
        Assert.Equal((1, 1), report.County("households"));
        Assert.Equal((1, 1), report.County("householdsCovered"));
        Assert.Equal((1, 1), report.Township("mucheng", "households"));
        Assert.Equal((0, 0), report.Township("sanyang", "households"));
        Assert.Equal(0, report.GetProperty("householdsWithoutAgreement").GetArrayLength());
    }
}
