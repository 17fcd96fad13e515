using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Notifications;

namespace Relief.Api.Tests.Notifications;

public sealed class WebhookSubscriptionTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>The test host's first receiver: a loopback endpoint the host allow-lists.</summary>
    private string Url => Fixture.Receivers.First.Url;

    private int AllowedPort => Fixture.Receivers.First.Port;

    /// <summary>
    /// Addresses a webhook must never reach, written as a department could: literals of every kind,
    /// IPv4-mapped IPv6, a decimal IPv4, a name that resolves to the cloud's metadata service, a name
    /// that does not resolve, and loopback on the allow-listed receiver's port but another address.
    /// <c>{port}</c> is that receiver's port: the refusal is about the address, not the port.
    /// </summary>
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://127.0.0.1:5432/")]
    [InlineData("http://127.0.0.2:{port}/hook")]
    [InlineData("http://[::1]:{port}/hook")]
    [InlineData("http://0.0.0.0:{port}/hook")]
    [InlineData("http://localhost:5432/")]
    [InlineData("http://localhost:{port}/hook")]
    [InlineData("http://[::ffff:127.0.0.1]:5432/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://2130706433:5432/")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://172.16.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("http://255.255.255.255/hook")]
    [InlineData("https://metadata.test/hook")]
    [InlineData("https://nowhere.test/hook")]
    public async Task A_url_that_points_inside_is_a_400_and_stores_nothing(string url)
    {
        Fixture.Names.Answer("metadata.test", [IPAddress.Parse("169.254.169.254")]);
        var body = Requests.WebhookSubscription(url.Replace("{port}", AllowedPort.ToString(CultureInfo.InvariantCulture)), "HouseholdRegistered");

        var problem = await Api.Send(HttpMethod.Post, "/api/webhook-subscriptions", body, Keys.PovertyOffice, 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/webhook-subscriptions", null)).EnumerateArray());
        await using var session = Store.QuerySession();
        Assert.Equal(0, await session.Events.QueryAllRawEvents().CountAsync());
        Assert.Equal(0, await session.Query<WebhookSecret>().CountAsync());
    }

    [Fact]
    public async Task A_name_that_resolves_to_the_allow_listed_receiver_and_that_receiver_itself_are_accepted()
    {
        Fixture.Names.Answer("receiver.test", [IPAddress.Loopback]);

        await Api.WebhookSubscription(Url);
        await Api.WebhookSubscription($"http://receiver.test:{AllowedPort}/hook");
    }

    [Fact]
    public async Task A_department_holds_at_most_its_cap_of_active_subscriptions()
    {
        var cap = Host.Services.GetRequiredService<NotificationOptions>().MaxSubscriptionsPerDepartment;
        var ids = new List<Guid>();
        for (var i = 0; i < cap; i++) ids.Add(await Api.WebhookSubscription(Url));

        var problem = await Api.Send(HttpMethod.Post, "/api/webhook-subscriptions", Requests.WebhookSubscription(Url),
            Keys.PovertyOffice, 409);

        Assert.Equal("urn:relief:problem:conflict", problem.GetProperty("type").GetString());
        Assert.Contains(cap.ToString(CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString());
        Assert.Equal(cap, (await Api.Send(HttpMethod.Get, "/api/webhook-subscriptions", null)).GetArrayLength());
        // Another department has a cap of its own; a cancelled subscription frees its place.
        await Api.WebhookSubscription(Url, Keys.Hrss);
        await Api.Send(HttpMethod.Post, $"/api/webhook-subscriptions/{ids[0]}/cancellation", null);
        await Api.WebhookSubscription(Url);
    }

    [Fact]
    public async Task A_subscription_is_listed_for_its_department_without_its_secret()
    {
        var id = await Api.WebhookSubscription(Url, Keys.PovertyOffice, "HouseholdRegistered", "CareAgreementSigned");

        var list = await Api.Send(HttpMethod.Get, "/api/webhook-subscriptions", null);
        var subscription = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, subscription.GetProperty("id").GetGuid());
        Assert.Equal(Url, subscription.GetProperty("url").GetString());
        Assert.Equal("PovertyAlleviationOffice", subscription.GetProperty("department").GetString());
        Assert.Equal(["HouseholdRegistered", "CareAgreementSigned"],
            subscription.GetProperty("eventKinds").EnumerateArray().Select(k => k.GetString()));
        Assert.False(subscription.GetProperty("cancelled").GetBoolean());
        Assert.DoesNotContain(Requests.WebhookSecret, list.GetRawText());
        Assert.DoesNotContain("secret", list.GetRawText(), StringComparison.OrdinalIgnoreCase);

        var one = await Api.Send(HttpMethod.Get, $"/api/webhook-subscriptions/{id}", null);
        Assert.Equal(id, one.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_secret_is_stored_encrypted()
    {
        var id = await Api.WebhookSubscription(Url);

        await using var session = Store.QuerySession();
        var stored = await session.LoadAsync<Relief.Api.Notifications.WebhookSecret>(id);
        Assert.NotNull(stored);
        Assert.DoesNotContain(Requests.WebhookSecret, stored.Secret.Ciphertext);
        var json = await session.Json.FindByIdAsync<Relief.Api.Notifications.WebhookSecret>(id);
        Assert.DoesNotContain(Requests.WebhookSecret, json);
    }

    [Fact]
    public async Task A_department_sees_and_manages_only_its_own_subscriptions()
    {
        var mine = await Api.WebhookSubscription(Url, Keys.PovertyOffice);
        var theirs = await Api.WebhookSubscription(Url, Keys.Hrss);

        var hrss = await Api.Send(HttpMethod.Get, "/api/webhook-subscriptions", null, Keys.Hrss);
        Assert.Equal([theirs], hrss.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        await Api.Send(HttpMethod.Get, $"/api/webhook-subscriptions/{mine}", null, Keys.Hrss, 404);
        await Api.Send(HttpMethod.Post, $"/api/webhook-subscriptions/{mine}/cancellation", null, Keys.Hrss, 404);

        var still = await Api.Send(HttpMethod.Get, $"/api/webhook-subscriptions/{mine}", null);
        Assert.False(still.GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task A_cancelled_subscription_stays_listed_as_cancelled_and_cannot_be_cancelled_twice()
    {
        var id = await Api.WebhookSubscription(Url);

        await Api.Send(HttpMethod.Post, $"/api/webhook-subscriptions/{id}/cancellation", null);

        var view = await Api.Send(HttpMethod.Get, $"/api/webhook-subscriptions/{id}", null);
        Assert.True(view.GetProperty("cancelled").GetBoolean());
        var problem = await Api.Send(HttpMethod.Post, $"/api/webhook-subscriptions/{id}/cancellation", null, Keys.PovertyOffice, 409);
        Assert.Equal("urn:relief:problem:conflict", problem.GetProperty("type").GetString());
        await using var session = Store.QuerySession();
        Assert.Null(await session.LoadAsync<Relief.Api.Notifications.WebhookSecret>(id));
    }

    [Fact]
    public async Task A_body_cannot_pass_itself_off_as_the_caller()
    {
        var mine = await Api.WebhookSubscription(Url, Keys.PovertyOffice);

        var response = await Send(HttpMethod.Post, $"/api/webhook-subscriptions/{mine}/cancellation",
            "{\"subject\":\"dev-poverty-office\",\"department\":\"PovertyAlleviationOffice\"}", Keys.Hrss);

        Assert.True((int)response.StatusCode is 400 or 404, $"answered {(int)response.StatusCode}");
        Assert.False((await Api.Send(HttpMethod.Get, $"/api/webhook-subscriptions/{mine}", null)).GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task Cancelling_an_unknown_subscription_is_404()
    {
        var problem = await Api.Send(HttpMethod.Post, $"/api/webhook-subscriptions/{Guid.NewGuid()}/cancellation", null,
            Keys.PovertyOffice, 404);
        Assert.Equal("urn:relief:problem:not-found", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Url_secret_and_event_kinds_are_checked()
    {
        var body = new JsonObject
        {
            ["url"] = "ftp://example.org/hook", ["secret"] = "short", ["eventKinds"] = new JsonArray("HouseholdRegistered", "Nonsense"),
        };

        var problem = await Api.Send(HttpMethod.Post, "/api/webhook-subscriptions", body, Keys.PovertyOffice, 400);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("url", out _));
        Assert.True(errors.TryGetProperty("secret", out _));
        Assert.True(errors.TryGetProperty("eventKinds[1]", out _));
        Assert.False(errors.TryGetProperty("eventKinds[0]", out _));
    }

    [Fact]
    public async Task Url_and_secret_are_required()
    {
        var problem = await Api.Send(HttpMethod.Post, "/api/webhook-subscriptions", new JsonObject(), Keys.PovertyOffice, 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task Subscribing_needs_the_notifications_scope_and_a_county_wide_key()
    {
        await Api.Send(HttpMethod.Post, "/api/webhook-subscriptions", Requests.WebhookSubscription(Url), Keys.Auditor, 403);
        await Api.Send(HttpMethod.Get, "/api/webhook-subscriptions", null, Keys.Auditor, 403);
        var problem = await Api.Send(HttpMethod.Post, "/api/webhook-subscriptions", Requests.WebhookSubscription(Url), Keys.Mucheng, 403);
        Assert.Contains("township", problem.GetProperty("detail").GetString());
    }
}
