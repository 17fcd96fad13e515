using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Relief.Api.Notifications;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Notifications.Targets;

namespace Relief.Api.Tests.Notifications;

/// <summary>The pure parts of "webhooks cannot reach inside": the address ranges, the allow-list, the reasons recorded.</summary>
public sealed class WebhookTargetDecisionTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.7")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.170")]
    [InlineData("192.0.2.1")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b:1::1")]
    [InlineData("100::1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fec0::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("2001::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("3fff::1")]
    public void Loopback_private_link_local_shared_multicast_and_other_special_addresses_are_not_public(string address) =>
        Assert.False(PublicAddress.Is(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("223.255.255.255")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8 (a DNS64 network's answer for an IPv4-only host)
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001::1")]
    public void Public_addresses_are_public(string address) => Assert.True(PublicAddress.Is(IPAddress.Parse(address)));

    private static NotificationOptions Options(string environment, params string[] allowed)
    {
        var settings = allowed.Select((target, i) => KeyValuePair.Create($"Relief:Notifications:AllowedTargets:{i}", (string?)target));
        return NotificationOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new Environment(environment));
    }

    private static WebhookTargets Targets(NotificationOptions options) => new(options, new NoNames());

    [Fact]
    public void Only_an_allow_listed_loopback_endpoint_is_reachable_and_only_on_its_port()
    {
        var targets = Targets(Options(Environments.Development, "127.0.0.1:5080"));

        Assert.True(targets.Allows(IPAddress.Loopback, 5080));
        Assert.True(targets.Allows(IPAddress.Parse("::ffff:127.0.0.1"), 5080));
        Assert.False(targets.Allows(IPAddress.Loopback, 5432));
        Assert.False(targets.Allows(IPAddress.Parse("127.0.0.2"), 5080));
        Assert.False(targets.Allows(IPAddress.IPv6Loopback, 5080));
        Assert.True(targets.Allows(IPAddress.Parse("8.8.8.8"), 443));
    }

    [Fact]
    public void An_address_that_is_not_allowed_among_a_name_s_addresses_refuses_the_url()
    {
        var targets = Targets(Options(Environments.Development));
        var url = new Uri("https://dept.example/hook");

        Assert.Null(targets.Refusal(url, [IPAddress.Parse("8.8.8.8")]));
        Assert.Contains("address", targets.Refusal(url, [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.1")]));
        Assert.Contains("does not resolve", targets.Refusal(url, []));
    }

    [Fact]
    public void Plain_http_is_for_development_and_the_allow_listed_loopback_receivers_only()
    {
        var staging = Targets(Options("Staging", "127.0.0.1:5080"));
        var development = Targets(Options(Environments.Development));
        IPAddress[] publicAddress = [IPAddress.Parse("8.8.8.8")];

        Assert.Equal("must use https.", staging.Refusal(new Uri("http://dept.example/hook"), publicAddress));
        Assert.Null(staging.Refusal(new Uri("https://dept.example/hook"), publicAddress));
        Assert.Null(staging.Refusal(new Uri("http://127.0.0.1:5080/hook"), [IPAddress.Loopback]));
        Assert.Null(development.Refusal(new Uri("http://dept.example/hook"), publicAddress));
    }

    [Fact]
    public void Https_is_required_outside_development_whatever_the_settings_say()
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("Relief:Notifications:RequireHttps", (string?)"false")]).Build();

        Assert.True(NotificationOptions.From(settings, new Environment("Staging")).RequireHttps);
        Assert.True(NotificationOptions.From(settings, new Environment(Environments.Production)).RequireHttps);
        Assert.False(NotificationOptions.From(settings, new Environment(Environments.Development)).RequireHttps);
    }

    [Fact]
    public void Relief_refuses_to_start_in_production_with_an_allow_list()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Options(Environments.Production, "127.0.0.1:5080"));
        Assert.Contains("AllowedTargets", error.Message);
        Assert.Empty(Options(Environments.Production).AllowedEndPoints);
    }

    [Theory]
    [InlineData("10.0.0.1:80")]
    [InlineData("169.254.169.254:80")]
    [InlineData("127.0.0.1")]
    [InlineData("localhost:5080")]
    public void The_allow_list_holds_loopback_endpoints_with_a_port_and_nothing_else(string target) =>
        Assert.Throws<InvalidOperationException>(() => Options(Environments.Development, target));

    [Fact]
    public void A_delivery_record_names_a_fixed_reason_never_the_receiver_s_or_the_exception_s_text()
    {
        const string leak = "SSH-2.0-OpenSSH_9.6 internal banner";

        Assert.Equal("connection refused", DeliveryReasons.Of(
            new HttpRequestException(leak, new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal("refused: the address is not allowed", DeliveryReasons.Of(
            new HttpRequestException(HttpRequestError.ConnectionError, leak, new WebhookAddressRefusedException())));
        Assert.Equal("timed out", DeliveryReasons.Of(new TaskCanceledException(leak, new TimeoutException(leak))));
        Assert.Equal("the receiver's name did not resolve", DeliveryReasons.Of(
            new HttpRequestException(HttpRequestError.NameResolutionError, leak)));
        Assert.Equal("the connection failed", DeliveryReasons.Of(
            new HttpRequestException(HttpRequestError.InvalidResponse, leak, new IOException(leak))));
        Assert.Equal("the receiver answered 502", DeliveryReasons.Answered(502));
    }

    private sealed class NoNames : IWebhookNameResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken token) =>
            throw new SocketException((int)SocketError.HostNotFound);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Relief.Api";
        public string ContentRootPath { get; set; } = "";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
