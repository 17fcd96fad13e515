using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alba;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Notifications;
using Relief.Api.Notifications.Deliveries;
using Wolverine;
using Wolverine.Tracking;

namespace Relief.Api.Tests.Notifications;

/// <summary>
/// End to end: a subscription, an event caused through the API, the async daemon's fan-out, the
/// durable delivery message and a real receiver on 127.0.0.1.
/// </summary>
public sealed class WebhookDeliveryTests(AppFixture fixture) : ApiTest(fixture), IAsyncLifetime
{
    private WebhookReceiver _receiver => Fixture.Receivers.First;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await Api.AsyncDaemonRunning();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

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

    /// <summary>The Standard Webhooks signature, computed here from the spec, not through Relief's code.</summary>
    private static string Sign(string id, string timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Requests.WebhookSecret),
            Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    private static string LegacySign(string body) =>
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
        Assert.Equal(AppFixture.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), hook.Timestamp);
        Assert.Equal(Sign(hook.DeliveryId!, hook.Timestamp!, hook.Body), hook.Signature);
        // The deprecated headers of the first release, for one more release.
        Assert.Equal(hook.DeliveryId, hook.LegacyDeliveryId);
        Assert.Equal(hook.Timestamp, hook.LegacyTimestamp);
        Assert.Equal(LegacySign(hook.Body), hook.LegacySignature);
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
        var everything = Fixture.Receivers.Second;
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
        Assert.Equal("the receiver answered 500", failed.GetProperty("lastError").GetString());
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
        var other = Fixture.Receivers.Second;
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

    [Fact]
    public async Task A_whsec_secret_signs_with_the_key_it_encodes()
    {
        var key = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        var body = Requests.WebhookSubscription(_receiver.Url, "HouseholdRegistered");
        body["secret"] = "whsec_" + Convert.ToBase64String(key);
        await Api.Send(HttpMethod.Post, "/api/webhook-subscriptions", body, Keys.PovertyOffice, 201);

        var hook = Assert.Single(await UntilReceived(async () => await Api.RegisteredHousehold(), r => r.Count >= 1));

        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(key,
            Encoding.UTF8.GetBytes($"{hook.DeliveryId}.{hook.Timestamp}.{hook.Body}"))), hook.Signature);
    }

    /// <summary>
    /// DNS rebinding: "rebinding.test" answers the allow-listed receiver's 127.0.0.1 when the subscription is
    /// made, and 127.0.0.2 from then on: loopback but not allow-listed, refused as 169.254.169.254 would be.
    /// Were the check at connect time missing, the request would land in a trap listening on 127.0.0.2 at
    /// the receiver's port (loopback: safe to reach); the trap proves no socket went there.
    /// </summary>
    [Fact]
    public async Task A_name_that_resolves_elsewhere_at_delivery_is_refused_before_connecting_and_nothing_is_sent()
    {
        var port = _receiver.Port;
        Fixture.Names.Answer("rebinding.test", [IPAddress.Loopback], [IPAddress.Parse("127.0.0.2")]);
        using var trap = new TcpListener(IPAddress.Parse("127.0.0.2"), port);
        trap.Start();
        var subscription = await Api.WebhookSubscription($"http://rebinding.test:{port}/hook", Keys.PovertyOffice, "HouseholdRegistered");

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(90)).DoNotAssertOnExceptionsDetected()
            .WaitForCondition(new TrackedRecord(r => r.Message is DeliverWebhook && r.Exception is WebhookDeliveryFailedException))
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => await Api.RegisteredHousehold()));

        var delivery = Assert.Single((await Api.WebhookDeliveries($"?subscriptionId={subscription}")).EnumerateArray());
        Assert.Equal("Failed", delivery.GetProperty("status").GetString());
        Assert.Equal("refused: the address is not allowed", delivery.GetProperty("lastError").GetString());
        Assert.False(delivery.TryGetProperty("lastStatusCode", out _));
        Assert.False(trap.Pending());
        Assert.Empty(_receiver.Received);
    }

    /// <summary>
    /// More deliveries to a receiver that accepts and never answers than the node has sending slots, and
    /// as many to a second one: the second gets all of them while the first's requests are still held
    /// (none given up), because a subscription has only its own few slots. Without that, the held requests
    /// would fill every slot and the second's deliveries would wait for them to time out.
    /// </summary>
    [Fact]
    public async Task A_receiver_that_never_answers_does_not_delay_the_deliveries_of_another_subscription()
    {
        var (dead, alive) = (Fixture.Receivers.First, Fixture.Receivers.Second);
        var perSubscription = Host.Services.GetRequiredService<NotificationOptions>().ConcurrencyPerSubscription;
        var households = NotificationsConfiguration.DeliverySlots + 2;
        dead.Hold();
        await Api.WebhookSubscription(dead.Url, Keys.PovertyOffice, "HouseholdRegistered");
        await Api.WebhookSubscription(alive.Url, Keys.PovertyOffice, "HouseholdRegistered");

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            {
                for (var i = 0; i < households; i++) await Api.RegisteredHousehold();
                await dead.WaitForHeld(perSubscription);
                await alive.WaitForCount(households);

                Assert.Equal(0, dead.Abandoned);
                Assert.Equal(perSubscription, dead.Held);
                Assert.Empty(dead.Received);

                dead.Release();
                await dead.WaitForCount(households);
            }));

        var deliveries = (await Api.WebhookDeliveries("?limit=100")).EnumerateArray().ToList();
        Assert.Equal(2 * households, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal("Delivered", d.GetProperty("status").GetString()));
    }

    /// <summary>
    /// A receiver that fails every attempt: after the breaker's count of failures in a row its circuit
    /// opens, and the deliveries still due are held back (Pending, their attempts not spent) instead of
    /// being sent and failed. Once the break is over (the clock moves on) one trial goes through; the
    /// receiver has recovered, the circuit closes, and every held delivery is delivered.
    /// </summary>
    [Fact]
    public async Task A_subscription_s_circuit_opens_after_failures_in_a_row_holds_deliveries_back_and_closes_after_a_good_trial()
    {
        var options = Host.Services.GetRequiredService<NotificationOptions>();
        const int households = 3; // up to 9 attempts without a breaker
        _receiver.FailAlways();
        await Api.WebhookSubscription(_receiver.Url, Keys.PovertyOffice, "HouseholdRegistered");

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).DoNotAssertOnExceptionsDetected()
            .WaitForCondition(new TrackedRecord(r => r.Message is DeliverWebhook
                && r.Envelope?.Headers.TryGetValue(DeliverWebhookHandler.Wait.Header, out var why) == true
                && why == DeliverWebhookHandler.Wait.CircuitOpen))
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            {
                for (var i = 0; i < households; i++) await Api.RegisteredHousehold();
            }));

        // Attempts already under way when it opened still finish: at most one per other slot of the subscription.
        var failures = _receiver.Received.Count;
        Assert.InRange(failures, options.BreakAfterFailures, options.BreakAfterFailures + options.ConcurrencyPerSubscription - 1);
        var deliveries = (await Api.WebhookDeliveries()).EnumerateArray().ToList();
        Assert.Equal(households, deliveries.Count);
        var held = deliveries.Where(d => d.GetProperty("attempts").GetInt32() < NotificationTestSettings.MaxAttempts).ToList();
        Assert.NotEmpty(held);
        Assert.All(held, d => Assert.Equal("Pending", d.GetProperty("status").GetString()));
        Assert.Contains(held, d => d.GetProperty("lastError").GetString() == DeliveryReasons.CircuitOpen);

        _receiver.Recover();
        Clock.Advance(options.BreakDuration);
        await UntilReceived(() => Task.CompletedTask, r => r.Count(x => x.Answered == 200) >= held.Count);

        Assert.Equal(held.Count, _receiver.Received.Count(r => r.Answered == 200));
        var after = (await Api.WebhookDeliveries()).EnumerateArray()
            .Where(d => held.Any(h => h.GetProperty("deliveryId").GetString() == d.GetProperty("deliveryId").GetString()));
        Assert.All(after, d => Assert.Equal("Delivered", d.GetProperty("status").GetString()));
    }
}
