using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Notifications;

public sealed class WebhookSubscriptionTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string Url = "http://127.0.0.1:9/hook";

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
