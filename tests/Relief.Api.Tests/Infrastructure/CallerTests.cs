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

    [Fact]
    public void A_township_identity_without_a_township_never_becomes_a_caller()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext
        {
            User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new("sub", "clerk"), new(ReliefClaims.Department, "Township")], "test")),
        };

        Assert.Throws<InvalidOperationException>(() => Caller.From(context));
    }
}
