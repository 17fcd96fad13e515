using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>The development keys are public: no environment but Development may accept them.</summary>
public sealed class DevelopmentKeyTests
{
    private static ApiKeyRegistry RegistryIn(string environment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relief:Townships:0:Code"] = "mucheng",
            ["Relief:Townships:0:Name"] = "木城街道",
        }).Build();
        var services = new ServiceCollection();
        services.AddReliefSecurity(configuration, new Environment(environment));
        return services.BuildServiceProvider().GetRequiredService<ApiKeyRegistry>();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_Development_no_development_key_is_accepted(string environment)
    {
        var registry = RegistryIn(environment);

        foreach (var key in new[] { "dev-poverty-office", "dev-hrss", "dev-auditor", "dev-reports", "dev-township-mucheng" })
        {
            Assert.Null(registry.Find(key));
        }
    }

    [Fact]
    public void In_Development_each_key_is_named_after_its_holder()
    {
        var registry = RegistryIn("Development");

        Assert.Equal(Department.PovertyAlleviationOffice, registry.Find("dev-poverty-office")?.Department);
        Assert.Equal("mucheng", registry.Find("dev-township-mucheng")?.Township);
        Assert.Equal([Scopes.ReportsRead], registry.Find("dev-reports")?.Scopes);
        Assert.DoesNotContain(Scopes.PiiRead, registry.Find("dev-auditor")!.Scopes);
        Assert.Equal(("bank-a", "bank-b"), (registry.Find("dev-bank-a")?.Organisation, registry.Find("dev-bank-b")?.Organisation));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Relief.Api";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
