using Relief.Api.Dispatch.Engine;
using Relief.Api.Supervision;

namespace Relief.Api.Tests.Supervision;

/// <summary>The happiness scale and the index of the weekly report, without a database or HTTP.</summary>
public sealed class HappinessDecisionTests
{
    [Theory]
    [InlineData(1, 1, 1, 0)]
    [InlineData(5, 5, 5, 100)]
    [InlineData(3, 3, 3, 50)]
    [InlineData(4, 3, 3, 58)]
    [InlineData(5, 4, 5, 92)]
    public void The_index_runs_from_0_to_100(int quality, int spirit, int satisfaction, int index) =>
        Assert.Equal(index, HappinessScale.Index(quality, spirit, satisfaction));

    [Fact]
    public void The_mean_is_to_one_decimal_and_none_without_surveys()
    {
        Assert.Equal(83.5m, HappinessScale.Mean([75, 92]));
        Assert.Null(HappinessScale.Mean([]));
    }

    [Fact]
    public void The_reports_index_is_the_points_over_the_households_and_its_change_against_last_week()
    {
        Assert.Equal((84, 34), DispatchMetrics.IndexOf(167, 117, 2, 1));
        Assert.Equal((0, 0), DispatchMetrics.IndexOf(0, 0, 0, 0));
        Assert.Equal((50, 50), DispatchMetrics.IndexOf(50, 50, 1, 1));
    }
}
