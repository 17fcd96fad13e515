using Microsoft.Extensions.Configuration;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>What <c>Relief:Counties</c> means, and the configurations that must not start.</summary>
public sealed class CountyConfigurationTests
{
    private const string Main = "Host=db;Port=5432;Database=relief;Username=relief";

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("ConnectionStrings:Marten", Main))).Build();

    [Fact]
    public void Without_counties_Relief_serves_Wuzhi_from_ConnectionStrings_Marten()
    {
        var directory = CountyDirectory.From(Configuration());

        Assert.False(directory.IsMultiCounty);
        Assert.Equal("410823", Assert.Single(directory.Counties).Code);
        Assert.Equal(Main, directory.ConnectionStringOf(directory.Default));
    }

    [Fact]
    public void A_county_s_database_is_its_connection_string_its_database_name_or_the_main_name_with_its_code()
    {
        var directory = CountyDirectory.From(Configuration(
            ("Relief:Counties:0:Code", "410823"),
            ("Relief:Counties:1:Code", "410822"), ("Relief:Counties:1:Database", "relief_boai"),
            ("Relief:Counties:2:Code", "410825"), ("Relief:Counties:2:ConnectionString", "Host=db2;Database=wen;Username=relief")));

        Assert.True(directory.IsMultiCounty);
        Assert.Equal("410823", directory.Default.Code);
        string DatabaseOf(int i) => new Npgsql.NpgsqlConnectionStringBuilder(directory.ConnectionStringOf(directory.Counties[i])).Database!;
        Assert.Equal("relief_410823", DatabaseOf(0));
        Assert.Equal("relief_boai", DatabaseOf(1));
        Assert.Equal("wen", DatabaseOf(2));
    }

    [Theory]
    [InlineData("4108", null)]
    [InlineData("410823", "relief")]
    public void A_bad_code_or_a_county_on_the_main_database_does_not_start(string code, string? database)
    {
        var settings = new List<(string, string)> { ("Relief:Counties:0:Code", code) };
        if (database is not null) settings.Add(("Relief:Counties:0:Database", database));

        Assert.Throws<InvalidOperationException>(() => CountyDirectory.From(Configuration([.. settings])));
    }

    [Fact]
    public void Two_counties_on_one_database_do_not_start()
    {
        Assert.Throws<InvalidOperationException>(() => CountyDirectory.From(Configuration(
            ("Relief:Counties:0:Code", "410823"), ("Relief:Counties:0:Database", "shared"),
            ("Relief:Counties:1:Code", "410822"), ("Relief:Counties:1:Database", "shared"))));
    }

    [Fact]
    public void A_key_of_a_county_not_served_here_does_not_start()
    {
        var configuration = Configuration(
            ("Relief:ApiKeys:0:Name", "elsewhere"), ("Relief:ApiKeys:0:Hash", "00"),
            ("Relief:ApiKeys:0:Department", "Bank"), ("Relief:ApiKeys:0:Organisation", "bank-a"), ("Relief:ApiKeys:0:County", "410822"));

        var refused = Assert.Throws<InvalidOperationException>(() =>
            new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddReliefSecurity(configuration, new ProductionEnvironment()));
        Assert.Contains("410822", refused.Message);
    }

    private sealed class ProductionEnvironment : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "Relief.Api";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
