using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>The township binding fails closed.</summary>
public sealed class CallerTests
{
    private static Caller Of(Department department, string? township) =>
        new("x", department, township, new HashSet<string>(), null);

    [Fact]
    public void A_township_identity_without_a_township_touches_no_township()
    {
        Assert.False(Of(Department.Township, null).MayTouchTownship("mucheng"));
        Assert.True(Of(Department.Township, "mucheng").MayTouchTownship("mucheng"));
        Assert.False(Of(Department.Township, "mucheng").MayTouchTownship("sanyang"));
        Assert.True(Of(Department.CivilAffairs, null).MayTouchTownship("sanyang"));
    }
}
