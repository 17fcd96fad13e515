using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Relief.Core.Protection;

/// <summary>
/// A personal-data value encrypted at rest. In JSON it is <c>{"keyId": …, "ciphertext": …}</c>. A
/// field recorded in clear before it was sealed (an event written by an earlier version) reads as a
/// legacy plaintext value (<see cref="IsLegacyPlaintext"/>) and is written back as the plain string
/// it was: it is shown as it is, and is sealed only when it is recorded again.
/// </summary>
/// <param name="KeyId">The id of the data key it was encrypted with.</param>
/// <param name="Ciphertext">Base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes), AES-256-GCM.</param>
[JsonConverter(typeof(ProtectedValueJsonConverter))]
public sealed record ProtectedValue(string KeyId, string Ciphertext)
{
    /// <summary>The key id of a value recorded in clear before it was sealed.</summary>
    public const string LegacyPlaintextKeyId = "legacy-plaintext";

    /// <summary>A value recorded in clear by an earlier version (its text is in <see cref="Ciphertext"/>).</summary>
    public static ProtectedValue LegacyPlaintext(string text) => new(LegacyPlaintextKeyId, text);

    /// <summary>
    /// A value kept in clear on purpose where the same field is sealed for other records (an inspection's
    /// findings when it names no household or family): stored as a plain string, like a legacy value.
    /// </summary>
    public static ProtectedValue InClear(string text) => new(LegacyPlaintextKeyId, text);

    /// <summary>True for a value recorded in clear before it was sealed: its text is <see cref="Ciphertext"/>.</summary>
    public bool IsLegacyPlaintext => KeyId == LegacyPlaintextKeyId;
}

/// <summary>
/// Reads a <see cref="ProtectedValue"/> from its object form, or from a plain string (a field an
/// earlier version recorded in clear: a legacy plaintext value); writes the object form, or the
/// plain string of a legacy value.
/// </summary>
public sealed class ProtectedValueJsonConverter : JsonConverter<ProtectedValue>
{
    public override ProtectedValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return ProtectedValue.LegacyPlaintext(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("A sealed value is an object with keyId and ciphertext.");

        string? keyId = null, ciphertext = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName) throw new JsonException("A sealed value is an object with keyId and ciphertext.");
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, "keyId", StringComparison.OrdinalIgnoreCase)) keyId = reader.GetString();
            else if (string.Equals(name, "ciphertext", StringComparison.OrdinalIgnoreCase)) ciphertext = reader.GetString();
            else reader.Skip();
        }

        return new ProtectedValue(keyId ?? throw new JsonException("A sealed value needs its keyId."),
            ciphertext ?? throw new JsonException("A sealed value needs its ciphertext."));
    }

    public override void Write(Utf8JsonWriter writer, ProtectedValue value, JsonSerializerOptions options)
    {
        if (value.IsLegacyPlaintext)
        {
            writer.WriteStringValue(value.Ciphertext);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("keyId", value.KeyId);
        writer.WriteString("ciphertext", value.Ciphertext);
        writer.WriteEndObject();
    }
}

/// <summary>
/// A data key encrypted (wrapped) under a master key, bound to its owner.
/// </summary>
/// <param name="MasterKeyId">The id of the master key that wrapped it.</param>
/// <param name="Value">Base64 of nonce (12 bytes) ‖ wrapped key ‖ tag (16 bytes), AES-256-GCM.</param>
public sealed record WrappedKey(string MasterKeyId, string Value);

/// <summary>
/// Thrown when a protected value or wrapped key cannot be decrypted: wrong key, wrong associated
/// data (owner), or altered or malformed ciphertext. The message never contains key material.
/// </summary>
public sealed class ProtectedDataException : CryptographicException
{
    /// <summary>Creates the exception with a message and the underlying cause, if any.</summary>
    public ProtectedDataException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Protection of personal data at rest: AES-256-GCM encryption bound to its owner through
/// associated data, envelope encryption (data keys wrapped under master keys), and blind indexes
/// (keyed hashes) for exact-match lookups without decrypting.
/// </summary>
public static class PersonalDataCipher
{
    /// <summary>The length of every key, in bytes (AES-256).</summary>
    public const int KeySize = 32;

    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Creates a new random 32-byte data key.</summary>
    public static byte[] NewDataKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> with a fresh random nonce. The same
    /// <paramref name="associatedData"/> (e.g. "household-member:{id}:resident-id") must be given
    /// to decrypt, so a ciphertext copied onto another record does not decrypt.
    /// </summary>
    public static ProtectedValue Encrypt(byte[] dataKey, string keyId, string plaintext, string associatedData)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(plaintext);
        return new ProtectedValue(keyId, Seal(dataKey, Encoding.UTF8.GetBytes(plaintext), associatedData));
    }

    /// <summary>Decrypts a value encrypted by <see cref="Encrypt"/>.</summary>
    /// <exception cref="ProtectedDataException">Wrong key, wrong associated data, or altered ciphertext.</exception>
    public static string Decrypt(byte[] dataKey, ProtectedValue value, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(value);
        var plaintext = Open(dataKey, value.Ciphertext, associatedData,
            $"the value encrypted with key '{value.KeyId}' could not be decrypted");
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>Wraps a data key under a master key, bound to <paramref name="ownerId"/>.</summary>
    public static WrappedKey Wrap(byte[] masterKey, string masterKeyId, byte[] dataKey, string ownerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);
        RequireKey(dataKey, nameof(dataKey));
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        return new WrappedKey(masterKeyId, Seal(masterKey, dataKey, ownerId));
    }

    /// <summary>Wraps a data key under the ring's current master key.</summary>
    public static WrappedKey Wrap(MasterKeyRing ring, byte[] dataKey, string ownerId)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return Wrap(ring.Current.Key, ring.Current.Id, dataKey, ownerId);
    }

    /// <summary>Unwraps a data key wrapped by <see cref="Wrap(byte[], string, byte[], string)"/> for the same owner.</summary>
    /// <exception cref="ProtectedDataException">Wrong master key, wrong owner, or altered value.</exception>
    public static byte[] Unwrap(byte[] masterKey, WrappedKey wrapped, string ownerId)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        var dataKey = Open(masterKey, wrapped.Value, ownerId,
            $"the data key wrapped with master key '{wrapped.MasterKeyId}' could not be unwrapped for this owner");
        if (dataKey.Length != KeySize)
        {
            throw new ProtectedDataException("the unwrapped data key does not have 32 bytes");
        }

        return dataKey;
    }

    /// <summary>Unwraps a data key with the master key of the ring named by the wrapped key.</summary>
    /// <exception cref="ProtectedDataException">Unknown master key, wrong owner, or altered value.</exception>
    public static byte[] Unwrap(MasterKeyRing ring, WrappedKey wrapped, string ownerId)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(wrapped);
        var masterKey = ring.Find(wrapped.MasterKeyId)
            ?? throw new ProtectedDataException($"master key '{wrapped.MasterKeyId}' is not in the key ring");
        return Unwrap(masterKey.Key, wrapped, ownerId);
    }

    /// <summary>
    /// A blind index: HMAC-SHA256 of <c>kind + ":" + normalizedValue</c> under
    /// <paramref name="indexKey"/>, as 64 lowercase hex characters. Equal values of one kind give
    /// equal indexes; <paramref name="kind"/> (e.g. "resident-id", "phone") keeps kinds apart.
    /// </summary>
    public static string BlindIndex(byte[] indexKey, string kind, string normalizedValue)
    {
        RequireKey(indexKey, nameof(indexKey));
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(normalizedValue);
        if (kind.Contains(':'))
        {
            throw new ArgumentException("the kind must not contain ':'", nameof(kind));
        }

        var hash = HMACSHA256.HashData(indexKey, Encoding.UTF8.GetBytes(kind + ":" + normalizedValue));
        return Convert.ToHexStringLower(hash);
    }

    private static string Seal(byte[] key, byte[] plaintext, string associatedData)
    {
        RequireKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(associatedData);

        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);

        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(
            nonce,
            plaintext,
            output.AsSpan(NonceSize, plaintext.Length),
            output.AsSpan(NonceSize + plaintext.Length, TagSize),
            Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }

    private static byte[] Open(byte[] key, string sealedBase64, string associatedData, string failure)
    {
        RequireKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(associatedData);

        byte[] input;
        try
        {
            input = Convert.FromBase64String(sealedBase64 ?? "");
        }
        catch (FormatException e)
        {
            throw new ProtectedDataException($"{failure}: it is not valid base64", e);
        }

        if (input.Length < NonceSize + TagSize)
        {
            throw new ProtectedDataException($"{failure}: it is too short");
        }

        var plaintext = new byte[input.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                input.AsSpan(0, NonceSize),
                input.AsSpan(NonceSize, plaintext.Length),
                input.AsSpan(NonceSize + plaintext.Length, TagSize),
                plaintext,
                Encoding.UTF8.GetBytes(associatedData));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ProtectedDataException(
                $"{failure}: wrong key, wrong associated data, or the ciphertext was altered", e);
        }

        return plaintext;
    }

    private static void RequireKey(byte[] key, string name)
    {
        ArgumentNullException.ThrowIfNull(key, name);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"the key must be {KeySize} bytes; got {key.Length}", name);
        }
    }
}
