using System.Security.Cryptography;
using System.Text;
using StandardWebhooks;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>
/// How a receiver checks a delivery: the Standard Webhooks scheme (standardwebhooks.com).
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}"&gt;</c>, so the
/// id and the timestamp are signed with the body and a receiver can refuse an old or replayed request.
/// The key is the subscription's secret: the bytes a <c>whsec_&lt;base64&gt;</c> secret encodes, or else
/// the UTF-8 bytes of the secret as given (its Standard Webhooks form is <c>whsec_</c> + base64 of them).
/// The <c>X-Relief-Delivery</c>, <c>X-Relief-Timestamp</c> and <c>X-Relief-Signature</c> headers of the first
/// release are still sent, deprecated, for one more release.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The event kind (the body's <c>eventType</c>); not part of the standard, not signed.</summary>
    public const string EventHeader = "X-Relief-Event";

    /// <summary>Deprecated: the same value as <see cref="IdHeader"/>.</summary>
    public const string LegacyDeliveryHeader = "X-Relief-Delivery";

    /// <summary>Deprecated: the same value as <see cref="TimestampHeader"/>, which this signature does not cover.</summary>
    public const string LegacyTimestampHeader = "X-Relief-Timestamp";

    /// <summary>Deprecated: <c>sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of the body alone under the secret's UTF-8 bytes.</summary>
    public const string LegacySignatureHeader = "X-Relief-Signature";

    public const string SecretPrefix = "whsec_";

    /// <summary>The key bytes a <c>whsec_&lt;base64&gt;</c> secret encodes (a subscription's must be 24 to 64 of them).</summary>
    public static bool TryKeyOfStandardSecret(string secret, out byte[] key)
    {
        key = [];
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return false;
        var encoded = secret[SecretPrefix.Length..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length)) return false;
        key = buffer[..length];
        return true;
    }

    /// <summary>The signing key of a subscription's secret.</summary>
    public static byte[] KeyOf(string secret) =>
        TryKeyOfStandardSecret(secret, out var key) ? key : Encoding.UTF8.GetBytes(secret);

    /// <summary>The <c>webhook-signature</c> value of one attempt: <c>v1,&lt;base64&gt;</c>.</summary>
    public static string Of(byte[] key, string id, DateTimeOffset timestamp, string body) =>
        new StandardWebhook(key).Sign(id, timestamp, body);

    /// <summary>The deprecated <c>X-Relief-Signature</c>: <c>sha256=&lt;lowercase hex&gt;</c> of the body alone.</summary>
    public static string Legacy(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>
    /// The id of delivering one event to one subscription: the same on every retry and replay, so a
    /// receiver de-duplicates on it. Derived (SHA-256) from the subscription id and the event's sequence.
    /// </summary>
    public static Guid DeliveryId(Guid subscriptionId, long eventSequence)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{subscriptionId:N}:{eventSequence}"));
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8: custom, name-based
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}
