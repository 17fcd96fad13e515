using System.Security.Cryptography;
using System.Text;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>
/// How a receiver checks a delivery: <c>X-Relief-Signature: sha256=&lt;hex&gt;</c>, the lowercase hex
/// HMAC-SHA256 of the raw request body under the subscription's secret (UTF-8).
/// </summary>
public static class WebhookSignature
{
    public const string DeliveryHeader = "X-Relief-Delivery";
    public const string EventHeader = "X-Relief-Event";
    public const string SignatureHeader = "X-Relief-Signature";
    public const string TimestampHeader = "X-Relief-Timestamp";

    public static string Of(string secret, byte[] body) =>
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
