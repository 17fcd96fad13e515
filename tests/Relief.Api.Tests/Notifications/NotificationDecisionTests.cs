using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Notifications;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Notifications.Subscriptions;
using Relief.Core.Protection;
using Wolverine.Http;

namespace Relief.Api.Tests.Notifications;

/// <summary>The pure parts: validation, catalogue matching, delivery ids, signatures, payload scrubbing.</summary>
public sealed class NotificationDecisionTests
{
    private static readonly Caller Office = new("office", Department.PovertyAlleviationOffice, null, new HashSet<string>(), null);

    private static ProblemDetails Validate(SubscribeWebhook command, Caller? caller = null) =>
        SubscribeWebhookEndpoint.CheckRequest(command, caller ?? Office);

    [Fact]
    public void A_valid_subscription_passes() =>
        Assert.Same(WolverineContinue.NoProblems,
            Validate(new SubscribeWebhook("https://dept.example/hook", new string('x', 16), ["HouseholdRegistered", "*"])));

    [Fact]
    public void A_secret_of_15_characters_is_too_short() =>
        Assert.Contains("secret", ((ValidationProblemDetails)Validate(
            new SubscribeWebhook("https://dept.example/hook", new string('x', 15), null))).Errors.Keys);

    [Fact]
    public void A_url_with_credentials_is_refused() =>
        Assert.Contains("url", ((ValidationProblemDetails)Validate(
            new SubscribeWebhook("https://user:pw@dept.example/hook", new string('x', 16), null))).Errors.Keys);

    [Fact]
    public void A_township_bound_key_may_not_subscribe() =>
        Assert.Equal(403, Validate(new SubscribeWebhook("https://dept.example/hook", new string('x', 16), null),
            Office with { Township = "mucheng" }).Status);

    [Theory]
    [InlineData(new string[0], "ResidentAdmitted", true)]
    [InlineData(new[] { "*" }, "ResidentAdmitted", true)]
    [InlineData(new[] { "HouseholdRegistered" }, "HouseholdRegistered", true)]
    [InlineData(new[] { "HouseholdRegistered" }, "ResidentAdmitted", false)]
    public void Kinds_match(string[] kinds, string kind, bool wanted) => Assert.Equal(wanted, EventCatalogue.Wants(kinds, kind));

    [Fact]
    public void The_catalogue_names_the_events_relief_publishes_and_not_its_own()
    {
        Assert.True(EventCatalogue.Knows("CareAgreementSigned"));
        Assert.True(EventCatalogue.Knows("ResidentAdmitted"));
        Assert.True(EventCatalogue.Knows("HouseholdRegistered"));
        Assert.False(EventCatalogue.Knows("WebhookSubscribed"));
        Assert.Null(EventCatalogue.NameOf(typeof(WebhookSubscribed)));
    }

    [Fact]
    public void A_delivery_id_is_stable_for_one_subscription_and_event_and_differs_otherwise()
    {
        var subscription = Guid.CreateVersion7();
        Assert.Equal(WebhookSignature.DeliveryId(subscription, 42), WebhookSignature.DeliveryId(subscription, 42));
        Assert.NotEqual(WebhookSignature.DeliveryId(subscription, 42), WebhookSignature.DeliveryId(subscription, 43));
        Assert.NotEqual(WebhookSignature.DeliveryId(subscription, 42), WebhookSignature.DeliveryId(Guid.CreateVersion7(), 42));
    }

    [Fact]
    public void The_signature_is_the_standard_webhooks_one_and_matches_the_spec_s_test_vector()
    {
        // The test vector of the Standard Webhooks specification's reference libraries.
        var key = WebhookSignature.KeyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        var signature = WebhookSignature.Of(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", DateTimeOffset.FromUnixTimeSeconds(1614265330),
            "{\"test\": 2432232314}");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void The_signature_covers_the_id_and_the_timestamp()
    {
        var key = WebhookSignature.KeyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        var at = DateTimeOffset.FromUnixTimeSeconds(1614265330);
        var signature = WebhookSignature.Of(key, "msg_1", at, "{}");

        Assert.NotEqual(signature, WebhookSignature.Of(key, "msg_1", at.AddSeconds(1), "{}"));
        Assert.NotEqual(signature, WebhookSignature.Of(key, "msg_2", at, "{}"));
        Assert.NotEqual(signature, WebhookSignature.Of(key, "msg_1", at, "{ }"));
    }

    [Fact]
    public void A_whsec_secret_signs_with_the_bytes_it_encodes_and_any_other_secret_with_its_utf8_bytes()
    {
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        Assert.Equal(bytes, WebhookSignature.KeyOf("whsec_" + Convert.ToBase64String(bytes)));
        Assert.Equal("s3cret-for-tests-0123456789"u8.ToArray(), WebhookSignature.KeyOf("s3cret-for-tests-0123456789"));
        // A subscriber who gave a plain secret verifies with a Standard Webhooks library under whsec_ + base64(UTF-8 bytes).
        Assert.Equal(WebhookSignature.KeyOf("a-plain-secret-of-a-department"),
            WebhookSignature.KeyOf("whsec_" + Convert.ToBase64String("a-plain-secret-of-a-department"u8.ToArray())));
    }

    [Theory]
    [InlineData("whsec_not*base64*at*all*0123456789")]
    [InlineData("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRY=")] // 23 bytes: below the standard's 24
    public void A_whsec_secret_must_encode_24_to_64_bytes(string secret) =>
        Assert.Contains("secret", ((ValidationProblemDetails)Validate(
            new SubscribeWebhook("https://dept.example/hook", secret, null))).Errors.Keys);

    [Fact]
    public void The_deprecated_signature_is_still_the_hex_hmac_sha256_of_the_body() =>
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            WebhookSignature.Legacy("Jefe", "what do ya want for nothing?"u8.ToArray()));

    [Fact]
    public void A_payload_drops_sealed_personal_data_and_the_resident_id_index_at_any_depth()
    {
        var member = new MemberRecord(Relation.Spouse, Gender.Female, new ProtectedValue("p-k", "cipher"));

        var payload = WebhookFanOut.Payload(new HouseholdMemberAdded(Guid.CreateVersion7(), Guid.CreateVersion7(), member))!;

        var json = payload.ToJsonString();
        Assert.Null(payload["member"]!["personal"]);
        Assert.DoesNotContain("cipher", json);
        Assert.DoesNotContain("index", json);
        Assert.Equal("Spouse", payload["member"]!["relation"]!.GetValue<string>());
        Assert.IsType<JsonObject>(payload["member"]);
    }

    [Fact]
    public void Secrets_round_trip_through_the_box_and_are_bound_to_their_subscription()
    {
        var ring = new MasterKeyRing(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1");
        var box = new WebhookSecretBox(ring);
        var sealedSecret = box.Seal(Guid.CreateVersion7(), "a-secret-of-16-chars");

        Assert.Equal("a-secret-of-16-chars", box.Open(sealedSecret));
        sealedSecret.Id = Guid.CreateVersion7();
        Assert.ThrowsAny<Exception>(() => box.Open(sealedSecret));
    }
}
