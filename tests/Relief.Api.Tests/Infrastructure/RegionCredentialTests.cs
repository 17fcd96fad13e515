using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Relief.Api.Dispatch.RollUps;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>A region's credential (a city, a province): what it names, what it may hold, and what a county's may not.</summary>
public sealed class RegionCredentialTests
{
    [Theory]
    [InlineData("41", "410823", true)]
    [InlineData("4108", "410823", true)]
    [InlineData("4108", "410923", false)]
    [InlineData("410823, 410822", "410822", true)]
    [InlineData("410823 410822", "410821", false)]
    [InlineData("42 4108", "410882", true)]
    public void A_region_covers_the_counties_its_prefixes_or_codes_name(string region, string county, bool covered)
    {
        Assert.Equal(covered, Region.Parse(region, out _)!.Covers(county));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("410")]
    [InlineData("4108x2")]
    [InlineData("41 08231")]
    public void A_region_that_is_not_prefixes_or_county_codes_is_refused(string region)
    {
        Assert.Null(Region.Parse(region, out var refusal));
        Assert.NotNull(refusal);
    }

    [Fact]
    public void A_region_s_credential_holds_reports_region_only_and_names_no_county_or_township()
    {
        Assert.Null(Credentials.RegionRefusal("41", null, null, [Scopes.RegionReports]));
        Assert.Null(Credentials.RegionRefusal("4108", null, null, [Scopes.RegionReports, Scopes.CountiesAdmin]));
        Assert.Null(Credentials.RegionRefusal(null, null, null, [Scopes.ReportsRead]));

        Assert.NotNull(Credentials.RegionRefusal(null, "410823", null, [Scopes.RegionReports]));
        Assert.NotNull(Credentials.RegionRefusal("41", "410823", null, [Scopes.RegionReports]));
        Assert.NotNull(Credentials.RegionRefusal("41", null, "mucheng", [Scopes.RegionReports]));
        Assert.NotNull(Credentials.RegionRefusal("41", null, null, [Scopes.ReportsRead]));
        Assert.NotNull(Credentials.RegionRefusal("41", null, null, [Scopes.RegionReports, Scopes.HouseholdsRead]));
        Assert.NotNull(Credentials.RegionRefusal("41", null, null, [Scopes.RegionReports, Scopes.Admin]));
        Assert.NotNull(Credentials.RegionRefusal("4", null, null, [Scopes.RegionReports]));
    }

    [Fact]
    public void A_county_s_admin_does_not_hold_the_scopes_above_a_county()
    {
        Assert.True(Scopes.Grants(Scopes.Admin, Scopes.ReportsRead));
        Assert.False(Scopes.Grants(Scopes.Admin, Scopes.RegionReports));
        Assert.False(Scopes.Grants(Scopes.Admin, Scopes.CountiesAdmin));
        Assert.DoesNotContain(Scopes.RegionReports, Scopes.County);
        var office = new Caller("office", Department.PovertyAlleviationOffice, null, new HashSet<string>(Scopes.County), null);
        Assert.False(office.Has(Scopes.RegionReports));
    }

    [Fact]
    public void A_configured_key_naming_a_region_and_a_county_stops_the_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relief:ApiKeys:0:Name"] = "jiaozuo-and-wuzhi",
            ["Relief:ApiKeys:0:Hash"] = ApiKeyRegistry.HashOf("jiaozuo-and-wuzhi"),
            ["Relief:ApiKeys:0:Department"] = nameof(Department.PovertyAlleviationOffice),
            ["Relief:ApiKeys:0:Region"] = "4108",
            ["Relief:ApiKeys:0:County"] = "410823",
            ["Relief:ApiKeys:0:Scopes:0"] = Scopes.RegionReports,
        }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddReliefSecurity(configuration, new Environment("Production")));
        Assert.Contains("jiaozuo-and-wuzhi", refused.Message);
    }

    [Fact]
    public void The_development_keys_hold_a_province_s_and_a_city_s_roll_up_readers()
    {
        var keys = DevelopmentKeys.For([]).ToDictionary(k => k.Name);

        Assert.Equal("41", keys["dev-henan"].Region);
        Assert.Equal([Scopes.RegionReports], keys["dev-henan"].Scopes);
        Assert.Equal("4108", keys["dev-jiaozuo"].Region);
        Assert.All(keys.Values, k => Assert.Null(Credentials.RegionRefusal(k.Region, k.County, k.Township, k.Scopes)));
    }

    [Fact]
    public void The_roll_up_refuses_a_caller_that_names_no_region()
    {
        var context = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ReliefClaims.Scope, Scopes.RegionReports)], "test")),
        };

        Assert.Equal(403, GetRegionalDispatchEndpoint.Validate("2020-W40", null, context).Status);
        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ReliefClaims.Scope, Scopes.RegionReports), new Claim(ReliefClaims.Region, "41")], "test"));
        Assert.Equal(Wolverine.Http.WolverineContinue.NoProblems, GetRegionalDispatchEndpoint.Validate("2020-W40", null, context));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Relief.Api";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
