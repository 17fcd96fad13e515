using Marten;
using Relief.Core.Protection;

namespace Relief.Api.Infrastructure.PersonalData;

/// <summary>Configuration of personal-data protection (<c>Relief:PersonalData</c>).</summary>
public sealed class PersonalDataOptions
{
    /// <summary>The id of the master key that wraps new household keys.</summary>
    public string CurrentMasterKeyId { get; set; } = "";

    /// <summary>Master keys by id: base64 of 32 random bytes. Old ones stay until re-wrapped.</summary>
    public Dictionary<string, string> MasterKeys { get; set; } = [];

    /// <summary>Base64 of 32 random bytes: the HMAC key of the blind indexes.</summary>
    public string IndexKey { get; set; } = "";
}

/// <summary>
/// A household's data key, wrapped by a master key. Resident IDs and phone numbers of the
/// household are encrypted under it; deleting this document makes them unreadable forever
/// without touching the event log (crypto-shredding).
/// </summary>
public sealed class HouseholdDataKey
{
    public Guid Id { get; set; }
    public string KeyId { get; set; } = "";
    public WrappedKey Wrapped { get; set; } = new("", "");
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The blind-index kinds: equal values of different kinds never share an index.</summary>
public static class BlindIndexKinds
{
    public const string ResidentId = "resident-id";
}

/// <summary>
/// Envelope encryption of personal data: a random key per household, wrapped by the configured
/// master key, plus a county-wide keyed hash (blind index) for exact-match lookups.
/// </summary>
public sealed class PersonalDataVault(MasterKeyRing ring, byte[] indexKey)
{
    /// <summary>A new key for a new household, and its protector.</summary>
    public (HouseholdDataKey Key, HouseholdProtector Protector) NewHousehold(Guid householdId, DateTimeOffset now)
    {
        var dataKey = PersonalDataCipher.NewDataKey();
        var document = new HouseholdDataKey
        {
            Id = householdId,
            KeyId = $"hh-{householdId:N}-1",
            Wrapped = PersonalDataCipher.Wrap(ring, dataKey, householdId.ToString()),
            CreatedAt = now,
        };
        return (document, new HouseholdProtector(householdId, document.KeyId, dataKey));
    }

    /// <summary>The protector of an existing household; an erased one if its key was forgotten.</summary>
    public async Task<HouseholdProtector> ForHousehold(IQuerySession session, Guid householdId, CancellationToken token) =>
        ForHousehold(householdId, await session.LoadAsync<HouseholdDataKey>(householdId, token));

    /// <summary>The protector from a household's key document loaded by the caller (null: the key was forgotten).</summary>
    public HouseholdProtector ForHousehold(Guid householdId, HouseholdDataKey? document) =>
        document is null
            ? HouseholdProtector.Erased(householdId)
            : new HouseholdProtector(householdId, document.KeyId,
                PersonalDataCipher.Unwrap(ring, document.Wrapped, householdId.ToString()));

    /// <summary>The blind index of a normalized value.</summary>
    public string BlindIndex(string kind, string normalizedValue) =>
        PersonalDataCipher.BlindIndex(indexKey, kind, normalizedValue);
}

/// <summary>Encrypts and decrypts the personal data of one household.</summary>
public sealed class HouseholdProtector
{
    private readonly Guid _householdId;
    private readonly string _keyId;
    private readonly byte[]? _dataKey;

    internal HouseholdProtector(Guid householdId, string keyId, byte[]? dataKey)
    {
        _householdId = householdId;
        _keyId = keyId;
        _dataKey = dataKey;
    }

    internal static HouseholdProtector Erased(Guid householdId) => new(householdId, "", null);

    /// <summary>True when the household's key was forgotten: its personal data is gone.</summary>
    public bool IsErased => _dataKey is null;

    public ProtectedValue Protect(string field, string plaintext) =>
        PersonalDataCipher.Encrypt(_dataKey ?? throw new InvalidOperationException("The household's personal data was erased."),
            _keyId, plaintext, AssociatedData(field));

    /// <summary>The plaintext, or null when there is none or it was erased.</summary>
    public string? Reveal(string field, ProtectedValue? value) =>
        value is null || _dataKey is null ? null : PersonalDataCipher.Decrypt(_dataKey, value, AssociatedData(field));

    private string AssociatedData(string field) => $"household:{_householdId}:{field}";
}
