using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Relief.Core.Audit;

/// <summary>
/// An event as stored, with its metadata: what the hash chain covers. Every value is the stored
/// one, as text: <paramref name="Timestamp"/> in UTC with microseconds
/// (<c>2020-10-01T02:00:00.123456Z</c>), <paramref name="Data"/> and <paramref name="Headers"/> as
/// JSON text (canonicalised before hashing, so key order and spacing do not matter).
/// </summary>
public sealed record ChainedEvent(
    long Sequence,
    Guid Id,
    string StreamId,
    long Version,
    string Type,
    string Timestamp,
    string TenantId,
    string Data,
    string? CorrelationId,
    string? CausationId,
    string? UserName,
    string? Headers)
{
    /// <summary>The stored timestamp written the way the chain covers it.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// The tamper-evident hash chain over the global event sequence:
/// <c>hash(n) = SHA-256(hash(n-1) ‖ canonical(event n))</c>, starting from 32 zero bytes.
/// Changing, removing or inserting any stored event changes its hash and every later one.
/// </summary>
public static class HashChain
{
    /// <summary>The "previous hash" of the first event: 32 zero bytes, as hex.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// The canonical form of an event and its metadata: a JSON object with its members sorted,
    /// <c>data</c> and <c>headers</c> canonical too, absent metadata as <c>null</c>.
    /// </summary>
    public static string Canonical(ChainedEvent e)
    {
        var builder = new StringBuilder(e.Data.Length + 512);
        builder.Append('{');
        void Name(string name, bool first = false)
        {
            if (!first) builder.Append(',');
            CanonicalJson.WriteString(builder, name);
            builder.Append(':');
        }

        void Text(string? value)
        {
            if (value is null) builder.Append("null");
            else CanonicalJson.WriteString(builder, value);
        }

        void Json(string? value)
        {
            if (value is null) builder.Append("null");
            else builder.Append(CanonicalJson.Of(value));
        }

        // Members in ordinal order of their names.
        Name("causationId", first: true); Text(e.CausationId);
        Name("correlationId"); Text(e.CorrelationId);
        Name("data"); Json(e.Data);
        Name("headers"); Json(e.Headers);
        Name("id"); Text(e.Id.ToString("D"));
        Name("sequence"); builder.Append(e.Sequence.ToString(CultureInfo.InvariantCulture));
        Name("streamId"); Text(e.StreamId);
        Name("tenantId"); Text(e.TenantId);
        Name("timestamp"); Text(e.Timestamp);
        Name("type"); Text(e.Type);
        Name("userName"); Text(e.UserName);
        Name("version"); builder.Append(e.Version.ToString(CultureInfo.InvariantCulture));
        builder.Append('}');
        return builder.ToString();
    }

    /// <summary>The hash of <paramref name="e"/> following <paramref name="previousHash"/> (hex), as lowercase hex.</summary>
    public static string Next(string previousHash, ChainedEvent e)
    {
        var previous = Convert.FromHexString(previousHash);
        if (previous.Length != 32) throw new ArgumentException("A chain hash is 32 bytes (64 hex digits).", nameof(previousHash));
        var canonical = Encoding.UTF8.GetBytes(Canonical(e));
        var input = new byte[previous.Length + canonical.Length];
        previous.CopyTo(input, 0);
        canonical.CopyTo(input, previous.Length);
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }
}
