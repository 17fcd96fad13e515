namespace Relief.Core.Protection;

/// <summary>A master key (key-encryption key) and its id.</summary>
/// <param name="Id">The key's id, stored beside everything it wraps.</param>
/// <param name="Key">The 32 key bytes.</param>
public sealed record MasterKey(string Id, byte[] Key);

/// <summary>
/// The master keys in use: the current one wraps new data keys; older ones stay to unwrap what
/// they wrapped until it is re-wrapped (key rotation).
/// </summary>
public sealed class MasterKeyRing
{
    private readonly Dictionary<string, MasterKey> _keys;

    /// <summary>Builds the ring from key ids and base64-encoded 32-byte keys.</summary>
    /// <param name="base64Keys">Key id → base64 of 32 random bytes.</param>
    /// <param name="currentKeyId">The id of the key that wraps new data keys.</param>
    /// <exception cref="ArgumentException">No keys, a key that is not base64 of 32 bytes, or an unknown current id.</exception>
    public MasterKeyRing(IReadOnlyDictionary<string, string> base64Keys, string currentKeyId)
    {
        ArgumentNullException.ThrowIfNull(base64Keys);
        ArgumentException.ThrowIfNullOrEmpty(currentKeyId);
        if (base64Keys.Count == 0)
        {
            throw new ArgumentException("the key ring needs at least one master key", nameof(base64Keys));
        }

        _keys = new Dictionary<string, MasterKey>(StringComparer.Ordinal);
        foreach (var (id, base64) in base64Keys)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new ArgumentException("a master key id must not be empty", nameof(base64Keys));
            }

            _keys[id] = new MasterKey(id, Decode(id, base64, nameof(base64Keys)));
        }

        Current = Find(currentKeyId) ?? throw new ArgumentException(
            $"the current master key '{currentKeyId}' is not in the key ring", nameof(currentKeyId));
    }

    /// <summary>The key that wraps new data keys.</summary>
    public MasterKey Current { get; }

    /// <summary>The ids of all keys in the ring.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>The key with this id, or null when the ring does not hold it.</summary>
    public MasterKey? Find(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return _keys.GetValueOrDefault(keyId);
    }

    private static byte[] Decode(string id, string? base64, string paramName)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64 ?? "");
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"master key '{id}' is not valid base64", paramName, e);
        }

        if (key.Length != PersonalDataCipher.KeySize)
        {
            throw new ArgumentException(
                $"master key '{id}' must be {PersonalDataCipher.KeySize} bytes (base64 of 32 random bytes); got {key.Length} bytes",
                paramName);
        }

        return key;
    }
}
