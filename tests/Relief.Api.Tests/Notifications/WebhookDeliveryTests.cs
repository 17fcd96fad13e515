using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alba;
using Wolverine;
using Wolverine.Tracking;

namespace Relief.Api.Tests.Notifications;

/// <summary>
/// End to end: a subscription, an event caused through the API, the async daemon's fan-out, the
/// durable delivery message and a real receiver on 127.0.0.1.
/// </summary>
public sealed class WebhookDeliveryTests(AppFixture fixture) : ApiTest(fixture), IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await Api.AsyncDaemonRunning();
        _receiver = await WebhookReceiver.Start();
    }

    async Task IAsyncLifetime.DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>
    /// Runs the steps, waits for the receiver's condition, then for Wolverine to finish every message
    /// the steps set off (so the delivery's recorded outcome is saved).
    /// </summary>
    private async Task<IReadOnlyList<ReceivedWebhook>> UntilReceived(Func<Task> steps, Func<IReadOnlyList<ReceivedWebhook>, bool> condition)
    {
        IReadOnlyList<ReceivedWebhook> received = [];
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            {
                await steps();
                received = await _receiver.WaitFor(condition);
            }));
        return received;
    }

    private static string Sign(string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Requests.WebhookSecret), Encoding.UTF8.GetBytes(body)));

    [Fact]
    public async Task A_committed_event_is_delivered_signed_with_a_delivery_id_and_no_personal_data()
    {
        var subscriptionId = await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdRegistered");
        Guid householdId = default;

        var received = await UntilReceived(async () => householdId = await Api.RegisteredHousehold(), r => r.Count >= 1);

        var hook = Assert.Single(received);
        Assert.Equal(200, hook.Answered);
        Assert.Equal("HouseholdRegistered", hook.EventType);
        Assert.Equal(Sign(hook.Body), hook.Signature);
        Assert.True(long.TryParse(hook.Timestamp, out _));
        Assert.Equal(hook.DeliveryId, hook.Json.GetProperty("deliveryId").GetString());
        Assert.Equal(subscriptionId, hook.Json.GetProperty("subscriptionId").GetGuid());
        Assert.Equal(householdId, hook.Json.GetProperty("data").GetProperty("householdId").GetGuid());
        Assert.Equal("mucheng", hook.Json.GetProperty("data").GetProperty("township").GetString());

        var deliveries = await Api.WebhookDeliveries();
        var delivery = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal(hook.DeliveryId, delivery.GetProperty("deliveryId").GetString());
        Assert.Equal("Delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("lastStatusCode").GetInt32());
    }

    [Fact]
    public async Task Payloads_carry_no_resident_id_phone_or_blind_index_even_encrypted()
    {
        await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdMemberAdded");

        var received = await UntilReceived(async () => await Api.RegisteredHousehold(), r => r.Count >= 1);

        var body = Assert.Single(received).Body;
        Assert.Contains("\"member\"", body);
        Assert.DoesNotContain("张三", body); // the name is sealed with the rest of the person, and not sent
        Assert.DoesNotContain("residentId", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("phone", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("13800138000", body);
    }

    [Fact]
    public async Task Only_the_kinds_asked_for_are_delivered_and_a_star_means_all()
    {
        var everything = await WebhookReceiver.Start();
        await using var _ = everything;
        await Api.WebhookSubscription(everything.Url, Keys.PovertyOffice, "*");
        await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdRegistered");

        // One household with one member: HouseholdRegistered and HouseholdMemberAdded.
        await UntilReceived(async () =>
        {
            await Api.RegisteredHousehold();
            await everything.WaitForCount(2);
        }, r => r.Count >= 1);

        Assert.Equal(["HouseholdMemberAdded", "HouseholdRegistered"], everything.Received.Select(r => r.EventType).Order());
        Assert.Equal(["HouseholdRegistered"], _receiver.Received.Select(r => r.EventType));
    }

    [Fact]
    public async Task An_idempotent_request_is_delivered_once_after_its_outer_transaction_commits_and_its_replay_adds_nothing()
    {
        await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdRegistered");
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "webhook-test-1" };
        var body = Requests.Household().ToJsonString();

        await UntilReceived(async () =>
        {
            Assert.Equal(201, (int)(await Send(HttpMethod.Post, "/api/households", body, headers: headers)).StatusCode);
            var replay = await Send(HttpMethod.Post, "/api/households", body, headers: headers);
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
            await Api.RegisteredHousehold(Requests.Household("sanyang"));
        }, r => r.Count >= 2);

        // The fan-out follows event order: the second household's delivery exists, so the replay (which wrote
        // nothing) added none. Sending runs in parallel, so arrival order is not guaranteed.
        Assert.Equal(["mucheng", "sanyang"],
            _receiver.Received.Select(r => r.Json.GetProperty("data").GetProperty("township").GetString()).Order());
        Assert.Equal(2, (await Api.WebhookDeliveries()).GetArrayLength());
    }

    [Fact]
    public async Task A_receiver_that_fails_first_gets_the_same_delivery_id_again_until_it_answers_2xx()
    {
        _receiver.FailNext(1);
        await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdRegistered");

        var received = await UntilReceived(async () => await Api.RegisteredHousehold(), r => r.Any(x => x.Answered == 200));

        Assert.Equal([500, 200], received.Select(r => r.Answered));
        Assert.Equal(received[0].DeliveryId, received[1].DeliveryId);
        Assert.Equal(received[0].Body, received[1].Body);
        var delivery = Assert.Single((await Api.WebhookDeliveries()).EnumerateArray());
        Assert.Equal("Delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_delivery_whose_retries_run_out_is_listed_as_failed_and_replays_under_the_same_id()
    {
        _receiver.FailAlways();
        await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdRegistered");

        var failedAttempts = await UntilReceived(async () => await Api.RegisteredHousehold(),
            r => r.Count >= NotificationTestSettings.MaxAttempts);

        Assert.Equal(NotificationTestSettings.MaxAttempts, failedAttempts.Count);
        var failed = Assert.Single((await Api.WebhookDeliveries("?status=Failed")).EnumerateArray());
        Assert.Equal(NotificationTestSettings.MaxAttempts, failed.GetProperty("attempts").GetInt32());
        Assert.Equal(500, failed.GetProperty("lastStatusCode").GetInt32());
        Assert.Contains("500", failed.GetProperty("lastError").GetString());
        Assert.Empty((await Api.WebhookDeliveries("?status=Delivered")).EnumerateArray());

        _receiver.Recover();
        var deliveryId = failed.GetProperty("deliveryId").GetGuid();
        var replayed = await UntilReceived(
            async () => await Api.Send(HttpMethod.Post, $"/api/webhook-deliveries/{deliveryId}/replay", null, Keys.PovertyOffice, 202),
            r => r.Any(x => x.Answered == 200));

        var last = replayed[^1];
        Assert.Equal(deliveryId.ToString(), last.DeliveryId);
        Assert.Equal(failedAttempts[0].Body, last.Body);
        Assert.Empty((await Api.WebhookDeliveries("?status=Failed")).EnumerateArray());
        var delivered = Assert.Single((await Api.WebhookDeliveries("?status=Delivered")).EnumerateArray());
        Assert.Equal(NotificationTestSettings.MaxAttempts + 1, delivered.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_cancelled_subscription_gets_nothing_more()
    {
        var cancelled = await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdRegistered");
        await Api.Send(HttpMethod.Post, $"/api/webhook-subscriptions/{cancelled}/cancellation", null);
        var other = await WebhookReceiver.Start();
        await using var _ = other;
        var active = await Api.WebhookSubscription(other.Url, Keys.PovertyOffice, "HouseholdRegistered");

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60))
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            {
                await Api.RegisteredHousehold();
                await other.WaitForCount(1);
            }));

        // One event's deliveries are all written together: the active one's exists, so none was made for the cancelled one.
        Assert.Empty(_receiver.Received);
        Assert.Single((await Api.WebhookDeliveries($"?subscriptionId={active}")).EnumerateArray());
        Assert.Empty((await Api.WebhookDeliveries($"?subscriptionId={cancelled}")).EnumerateArray());
    }

    [Fact]
    public async Task Another_department_cannot_see_or_replay_a_delivery()
    {
        await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdRegistered");
        await UntilReceived(async () => await Api.RegisteredHousehold(), r => r.Count >= 1);
        var deliveryId = Assert.Single((await Api.WebhookDeliveries()).EnumerateArray()).GetProperty("deliveryId").GetGuid();

        Assert.Empty((await Api.WebhookDeliveries("", Keys.Hrss)).EnumerateArray());
        var problem = await Api.Send(HttpMethod.Post, $"/api/webhook-deliveries/{deliveryId}/replay", null, Keys.Hrss, 404);
        Assert.Equal("urn:relief:problem:not-found", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Replaying_an_unknown_delivery_is_404_and_a_bad_status_filter_is_400()
    {
        await Api.Send(HttpMethod.Post, $"/api/webhook-deliveries/{Guid.NewGuid()}/replay", null, Keys.PovertyOffice, 404);
        var problem = await Api.Send(HttpMethod.Get, "/api/webhook-deliveries?status=Lost", null, Keys.PovertyOffice, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
        await Api.Send(HttpMethod.Get, "/api/webhook-deliveries?subscriptionId=x", null, Keys.PovertyOffice, 400);
    }
}
