using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>Credentials that say too little of their holder, and signing keys too short, stop the start.</summary>
public sealed class CredentialConfigurationTests
{
    private static void Start(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Relief:Townships:0:Code", "mucheng"))
                .Append(new("Relief:Townships:0:Name", "木城街道"))).Build();
        new ServiceCollection().AddReliefSecurity(configuration, new ProductionEnvironment());
    }

    private static (string, string)[] Key(string department, string? township = null, string? organisation = null)
    {
        var settings = new List<(string, string)>
        {
            ("Relief:ApiKeys:0:Name", "system-x"), ("Relief:ApiKeys:0:Hash", "00"), ("Relief:ApiKeys:0:Department", department),
        };
        if (township is not null) settings.Add(("Relief:ApiKeys:0:Township", township));
        if (organisation is not null) settings.Add(("Relief:ApiKeys:0:Organisation", organisation));
        return [.. settings];
    }

    [Theory]
    [InlineData("Township", null, null, "township")]
    [InlineData("Township", "nowhere", null, "nowhere")]
    [InlineData("Bank", null, null, "Organisation")]
    [InlineData("Bank", null, "a bank", "a bank")]
    public void A_key_that_does_not_say_who_holds_it_does_not_start(string department, string? township, string? organisation,
        string named)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Start(Key(department, township, organisation)));

        Assert.Contains("system-x", refused.Message);
        Assert.Contains(named, refused.Message);
    }

    [Fact]
    public void A_township_key_with_its_township_and_a_bank_key_with_its_organisation_start()
    {
        Start(Key("Township", township: "mucheng"));
        Start(Key("Bank", organisation: "rural-commercial-bank"));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("thirty-one-bytes-is-not-enough!")]
    public void A_signing_key_under_32_bytes_does_not_start(string signingKey)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Start(("Relief:Jwt:SigningKey", signingKey)));

        Assert.Contains("Relief:Jwt:SigningKey", refused.Message);
        Assert.Contains("32", refused.Message);
    }

    [Fact]
    public void A_signing_key_of_32_bytes_or_none_starts()
    {
        Start(("Relief:Jwt:SigningKey", new string('k', 32)));
        Start();
    }

    private sealed class ProductionEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "Relief.Api";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
