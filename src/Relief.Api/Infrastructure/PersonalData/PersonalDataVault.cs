using System.Text.Json;
using Marten;
using Relief.Api.Infrastructure.Json;
using Relief.Core.Protection;

namespace Relief.Api.Infrastructure.PersonalData;

/// <summary>Configuration of personal-data protection (<c>Relief:PersonalData</c>).</summary>
public sealed class PersonalDataOptions
{
    /// <summary>The id of the master key that wraps new data keys.</summary>
    public string CurrentMasterKeyId { get; set; } = "";

    /// <summary>Master keys by id: base64 of 32 random bytes. Old ones stay until re-wrapped.</summary>
    public Dictionary<string, string> MasterKeys { get; set; } = [];

    /// <summary>Base64 of 32 random bytes: the HMAC key of the blind indexes.</summary>
    public string IndexKey { get; set; } = "";
}

/// <summary>
/// The data key of a record that holds personal data of its own (a household's head name and
/// address, a caregiver family's head name), wrapped by a master key. Deleting it makes what it
/// sealed unreadable forever without touching the event log (crypto-shredding).
/// </summary>
public sealed class HouseholdDataKey
{
    public Guid Id { get; set; }
    public string KeyId { get; set; } = "";
    public WrappedKey Wrapped { get; set; } = new("", "");
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The data key of one person (a household or caregiver-family member, by member id), wrapped by
/// a master key. Everything personal about the person is sealed under it, wherever it was recorded
/// and wherever the person moved: deleting it erases exactly that person. <see cref="HolderId"/> is
/// the household or family the person belongs to now, so that a record's keys load in one query.
/// </summary>
public sealed class PersonDataKey
{
    public Guid Id { get; set; }
    public Guid HolderId { get; set; }
    public string KeyId { get; set; } = "";
    public WrappedKey Wrapped { get; set; } = new("", "");
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The same key, held by another household or family (the person moved).</summary>
    public PersonDataKey HeldBy(Guid holderId) =>
        new() { Id = Id, HolderId = holderId, KeyId = KeyId, Wrapped = Wrapped, CreatedAt = CreatedAt };
}

/// <summary>
/// The names sealed fields are bound to (part of their associated data): the JSON name of the
/// event member that holds them, so that whoever opens a stored event knows the field by its name.
/// </summary>
public static class SealedFields
{
    /// <summary>A household's or caregiver family's head name, under the head person's key.</summary>
    public const string HeadName = "headName";

    /// <summary>A household's address, under the household's key.</summary>
    public const string Address = "address";

    /// <summary>The caregiver's name on a care agreement (<c>caregiver.name</c>), under the caregiver's key.</summary>
    public const string Name = "name";

    /// <summary>The caregiver's name copied onto a warning, under the same key.</summary>
    public const string CaregiverName = "caregiverName";

    /// <summary>A free-text note about a household or family, under its key.</summary>
    public const string Note = "note";

    /// <summary>A free-text reason about a household or family, under its key.</summary>
    public const string Reason = "reason";

    /// <summary>An inspection's findings, under the key of the household (else the family) it names.</summary>
    public const string Findings = "findings";
}

/// <summary>
/// Declares, on an event member that holds a sealed value, the field name its value is bound to when
/// that name is not the member's own JSON name (e.g. a trainee's <c>memberName</c> sealed as
/// <see cref="SealedFields.Name"/>). Whoever opens a stored event by its JSON (the history) reads the
/// field name from here: <see cref="SealedMembers.FieldOf"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SealedAsAttribute(string field) : Attribute
{
    public string Field { get; } = field;
}

/// <summary>The field names an event type's sealed members are bound to, read from the type itself.</summary>
public static class SealedMembers
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), (string Field, Type? Member)> Known = new();

    /// <summary>
    /// The field a sealed value at JSON member <paramref name="jsonName"/> of <paramref name="owner"/> is
    /// bound to (its <see cref="SealedAsAttribute"/>, else the JSON name), and the member's type, to
    /// follow nested records (an element type for a list). An unknown owner or member: the JSON name.
    /// </summary>
    public static (string Field, Type? Member) FieldOf(Type? owner, string jsonName) =>
        owner is null ? (jsonName, null) : Known.GetOrAdd((owner, jsonName), static key =>
        {
            var property = key.Item1.GetProperties()
                .FirstOrDefault(p => string.Equals(p.Name, key.Item2, StringComparison.OrdinalIgnoreCase));
            if (property is null) return (key.Item2, null);
            var field = property.GetCustomAttributes(typeof(SealedAsAttribute), true).OfType<SealedAsAttribute>().FirstOrDefault()?.Field;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var element = type == typeof(string) ? null
                : type.IsArray ? type.GetElementType()
                : type.GetInterfaces().Append(type)
                    .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            return (field ?? key.Item2, element ?? type);
        });
}

/// <summary>The blind-index kinds: equal values of different kinds never share an index.</summary>
public static class BlindIndexKinds
{
    public const string ResidentId = "resident-id";
}

/// <summary>
/// Envelope encryption of personal data: a random data key per person and per record (household or
/// caregiver family), each wrapped by the configured master key, plus a county-wide keyed hash
/// (blind index) for exact-match lookups. A sealed value names its key (<see cref="ProtectedValue.KeyId"/>:
/// <c>p-{personId}</c> or <c>hh-{recordId}-1</c>), so any reader can tell whose key opens it.
/// </summary>
public sealed class PersonalDataVault(MasterKeyRing ring, byte[] indexKey)
{
    /// <summary>A new key for a new household or caregiver family, and its protector.</summary>
    public (HouseholdDataKey Key, DataProtector Protector) NewHousehold(Guid householdId, DateTimeOffset now)
    {
        var dataKey = PersonalDataCipher.NewDataKey();
        var document = new HouseholdDataKey
        {
            Id = householdId,
            KeyId = DataProtector.RecordKeyId(householdId),
            Wrapped = PersonalDataCipher.Wrap(ring, dataKey, householdId.ToString()),
            CreatedAt = now,
        };
        return (document, DataProtector.ForRecord(householdId, dataKey));
    }

    /// <summary>A new key for a person who joins <paramref name="holderId"/>, and its protector.</summary>
    public (PersonDataKey Key, DataProtector Protector) NewPerson(Guid personId, Guid holderId, DateTimeOffset now)
    {
        var dataKey = PersonalDataCipher.NewDataKey();
        var document = new PersonDataKey
        {
            Id = personId,
            HolderId = holderId,
            KeyId = DataProtector.PersonKeyId(personId),
            Wrapped = PersonalDataCipher.Wrap(ring, dataKey, OwnerOfPerson(personId)),
            CreatedAt = now,
        };
        return (document, DataProtector.ForPerson(personId, dataKey));
    }

    /// <summary>The protector of an existing household or family; an erased one if its key was forgotten.</summary>
    public async Task<DataProtector> ForHousehold(IQuerySession session, Guid householdId, CancellationToken token) =>
        ForHousehold(householdId, await session.LoadAsync<HouseholdDataKey>(householdId, token));

    /// <summary>The protector from a household's key document loaded by the caller (null: the key was forgotten).</summary>
    public DataProtector ForHousehold(Guid householdId, HouseholdDataKey? document) =>
        DataProtector.ForRecord(householdId,
            document is null ? null : PersonalDataCipher.Unwrap(ring, document.Wrapped, householdId.ToString()));

    /// <summary>The protector from a person's key document loaded by the caller (null: the person was erased).</summary>
    public DataProtector ForPerson(Guid personId, PersonDataKey? document) =>
        DataProtector.ForPerson(personId,
            document is null ? null : PersonalDataCipher.Unwrap(ring, document.Wrapped, OwnerOfPerson(personId)));

    /// <summary>
    /// The keys of the given records and persons, in one round trip: a key asked for and not found
    /// was forgotten (erased), and opens nothing.
    /// </summary>
    public async Task<KeyChain> Keys(IQuerySession session, IReadOnlyCollection<Guid> records, IReadOnlyCollection<Guid> people,
        CancellationToken token)
    {
        var batch = session.CreateBatchQuery();
        var recordKeys = records.Count == 0 ? null : batch.LoadMany<HouseholdDataKey>().ById(records.Distinct().ToArray());
        var personKeys = people.Count == 0 ? null : batch.LoadMany<PersonDataKey>().ById(people.Distinct().ToArray());
        if (recordKeys is null && personKeys is null) return KeyChain.Empty;
        await batch.Execute(token);
        return Chain(records, recordKeys is null ? [] : await recordKeys, people, personKeys is null ? [] : await personKeys);
    }

    /// <summary>
    /// The keys that open the given sealed values (each names its key: <c>p-{person}</c> or
    /// <c>hh-{record}-1</c>), in one round trip. Legacy plaintext values and nulls need no key.
    /// </summary>
    public Task<KeyChain> Keys(IQuerySession session, IEnumerable<ProtectedValue?> values, CancellationToken token)
    {
        var (records, people) = KeysOf(values);
        return Keys(session, records, people, token);
    }

    /// <summary>The records and persons whose keys open the given sealed values.</summary>
    public static (IReadOnlyList<Guid> Records, IReadOnlyList<Guid> People) KeysOf(IEnumerable<ProtectedValue?> values)
    {
        var records = new HashSet<Guid>();
        var people = new HashSet<Guid>();
        foreach (var value in values)
        {
            if (value is null || value.IsLegacyPlaintext) continue;
            if (DataProtector.PersonOf(value.KeyId) is { } person) people.Add(person);
            else if (DataProtector.RecordOf(value.KeyId) is { } record) records.Add(record);
        }

        return ([.. records], [.. people]);
    }

    /// <summary>A key chain from documents the caller loaded; <paramref name="records"/> and <paramref name="people"/> name what was asked.</summary>
    public KeyChain Chain(IEnumerable<Guid> records, IEnumerable<HouseholdDataKey> recordKeys, IEnumerable<Guid> people,
        IEnumerable<PersonDataKey> personKeys)
    {
        var found = recordKeys.ToDictionary(k => k.Id);
        var protectors = new Dictionary<string, DataProtector>(StringComparer.Ordinal);
        foreach (var id in records.Distinct())
        {
            var protector = ForHousehold(id, found.GetValueOrDefault(id));
            protectors[protector.KeyId] = protector;
        }

        var persons = personKeys.ToDictionary(k => k.Id);
        foreach (var id in people.Distinct())
        {
            var protector = ForPerson(id, persons.GetValueOrDefault(id));
            protectors[protector.KeyId] = protector;
        }

        return new KeyChain(protectors);
    }

    /// <summary>The blind index of a normalized value.</summary>
    public string BlindIndex(string kind, string normalizedValue) =>
        PersonalDataCipher.BlindIndex(indexKey, kind, normalizedValue);

    private static string OwnerOfPerson(Guid personId) => $"person:{personId}";
}

/// <summary>
/// The keys one request loaded, able to open any sealed value whose key it holds. A value whose
/// key was asked for and forgotten opens to nothing; a value whose key was never asked for is a
/// programming error, and throws.
/// </summary>
public sealed class KeyChain(IReadOnlyDictionary<string, DataProtector> protectors)
{
    private readonly IReadOnlyDictionary<string, DataProtector> _protectors = protectors;

    public static readonly KeyChain Empty = new(new Dictionary<string, DataProtector>());

    /// <summary>The protector of a person (by member id), as loaded.</summary>
    public DataProtector Person(Guid personId) => Find(DataProtector.PersonKeyId(personId));

    /// <summary>The protector of a household or family, as loaded.</summary>
    public DataProtector Record(Guid recordId) => Find(DataProtector.RecordKeyId(recordId));

    /// <summary>True when the chain holds the key of this value (or it needs none).</summary>
    public bool Holds(ProtectedValue? value) =>
        value is null || value.IsLegacyPlaintext || _protectors.ContainsKey(value.KeyId);

    /// <summary>
    /// The plaintext of a sealed field, or null when there is none or its key was forgotten. A legacy
    /// plaintext value (recorded in clear before the field was sealed) is its text.
    /// </summary>
    public string? Reveal(string field, ProtectedValue? value) =>
        value is null ? null : value.IsLegacyPlaintext ? value.Ciphertext : Find(value.KeyId).Reveal(field, value);

    /// <summary>The plaintext of a sealed field as answers show it: <see cref="PersonalDataMask.Erased"/> once its key was forgotten.</summary>
    public string Show(string field, ProtectedValue value) => Reveal(field, value) ?? PersonalDataMask.Erased;

    /// <summary>An optional sealed text (a note, a reason) as answers show it: null when there is none, else as <see cref="Show"/>.</summary>
    public string? ShowText(string field, ProtectedValue? value) => value is null ? null : Show(field, value);

    /// <summary>
    /// A sealed field copied onto another record under another field name, sealed again under the
    /// same key (the name is bound to the ciphertext); null when there is none or its key was
    /// forgotten. A legacy plaintext value stays as it is (there is no key to seal it under).
    /// </summary>
    public ProtectedValue? Reseal(ProtectedValue? value, string fromField, string toField)
    {
        if (value is null || value.IsLegacyPlaintext) return value;
        var protector = Find(value.KeyId);
        return protector.Reveal(fromField, value) is { } plain ? protector.Protect(toField, plain) : null;
    }

    /// <summary>A chain holding this chain's keys and the other's.</summary>
    public KeyChain With(KeyChain other)
    {
        var all = new Dictionary<string, DataProtector>(_protectors, StringComparer.Ordinal);
        foreach (var (id, protector) in other._protectors) all[id] = protector;
        return new KeyChain(all);
    }

    /// <summary>
    /// A sealed record, or null when there is none or its key was forgotten. A record recorded in clear
    /// before it was sealed opens as recorded (<see cref="LegacyRecord"/>), its identifiers sealed under
    /// another key of this chain opened with it.
    /// </summary>
    public T? Open<T>(string field, ProtectedValue? value) where T : class =>
        value is null ? null
        : value.IsLegacyPlaintext
            ? LegacyRecord.Open<T>(value.Ciphertext,
                (name, inner) => _protectors.TryGetValue(inner.KeyId, out var protector) ? protector.Reveal(name, inner) : null,
                DataProtector.JsonOptions)
        : Find(value.KeyId).Open<T>(field, value);

    private DataProtector Find(string keyId) =>
        _protectors.TryGetValue(keyId, out var protector)
            ? protector
            : throw new InvalidOperationException($"The key '{keyId}' was not loaded for this request.");
}

/// <summary>Seals and opens the personal data of one person or one record under its data key.</summary>
public sealed class DataProtector
{
    private readonly string _associatedPrefix;
    private readonly byte[]? _dataKey;

    private DataProtector(string keyId, string associatedPrefix, byte[]? dataKey)
    {
        KeyId = keyId;
        _associatedPrefix = associatedPrefix;
        _dataKey = dataKey;
    }

    /// <summary>The id every value sealed here carries.</summary>
    public string KeyId { get; }

    internal static string PersonKeyId(Guid personId) => $"p-{personId:N}";

    internal static string RecordKeyId(Guid recordId) => $"hh-{recordId:N}-1";

    /// <summary>The person a key id names (<c>p-{person}</c>), or null.</summary>
    public static Guid? PersonOf(string keyId) =>
        keyId.StartsWith("p-", StringComparison.Ordinal) && Guid.TryParseExact(keyId[2..], "N", out var person) ? person : null;

    /// <summary>The household or family a key id names (<c>hh-{record}-1</c>), or null.</summary>
    public static Guid? RecordOf(string keyId) =>
        keyId.StartsWith("hh-", StringComparison.Ordinal) && keyId.Length > 35 && Guid.TryParseExact(keyId[3..35], "N", out var record)
            ? record
            : null;

    internal static DataProtector ForPerson(Guid personId, byte[]? dataKey) =>
        new(PersonKeyId(personId), $"person:{personId}", dataKey);

    internal static DataProtector ForRecord(Guid recordId, byte[]? dataKey) =>
        new(RecordKeyId(recordId), $"household:{recordId}", dataKey);

    /// <summary>True when the key was forgotten: what it sealed is gone.</summary>
    public bool IsErased => _dataKey is null;

    /// <summary>Seals a text field; the field's name is bound to the ciphertext (associated data).</summary>
    public ProtectedValue Protect(string field, string plaintext) =>
        PersonalDataCipher.Encrypt(_dataKey ?? throw new InvalidOperationException("This personal data was erased."),
            KeyId, plaintext, AssociatedData(field));

    /// <summary>
    /// Seals a free-text note or reason about this record; null when there is none. Once the key was
    /// forgotten nothing about the record is kept: the text is dropped, and the value left names the
    /// forgotten key with no ciphertext, so that it shows as <c>[erased]</c> like everything sealed before.
    /// </summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(plaintext))]
    public ProtectedValue? SealText(string field, string? plaintext) =>
        plaintext is null ? null : _dataKey is null ? new ProtectedValue(KeyId, "") : Protect(field, plaintext);

    /// <summary>Seals a record as JSON (the shared policy).</summary>
    public ProtectedValue Seal<T>(string field, T value) where T : class =>
        Protect(field, JsonSerializer.Serialize(value, Json));

    /// <summary>The plaintext, or null when there is none or it was erased; a legacy plaintext value is its text.</summary>
    public string? Reveal(string field, ProtectedValue? value) =>
        value is null ? null
        : value.IsLegacyPlaintext ? value.Ciphertext
        : _dataKey is null ? null
        : PersonalDataCipher.Decrypt(_dataKey, value, AssociatedData(field));

    /// <summary>
    /// A sealed record, or null when there is none or it was erased. A record recorded in clear before
    /// it was sealed opens as recorded (<see cref="LegacyRecord"/>; what it holds sealed under another key, left out).
    /// </summary>
    public T? Open<T>(string field, ProtectedValue? value) where T : class =>
        value is { IsLegacyPlaintext: true }
            ? LegacyRecord.Open<T>(value.Ciphertext, (name, inner) => inner.KeyId == KeyId ? Reveal(name, inner) : null, Json)
            : Reveal(field, value) is { } json ? JsonSerializer.Deserialize<T>(json, Json) : null;

    /// <summary>The JSON policy sealed records are written with.</summary>
    internal static JsonSerializerOptions JsonOptions { get; } = CreateJson();

    private static JsonSerializerOptions Json => JsonOptions;

    private string AssociatedData(string field) => $"{_associatedPrefix}:{field}";

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        ReliefJson.Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
