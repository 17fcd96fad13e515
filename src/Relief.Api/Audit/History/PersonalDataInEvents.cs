using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.Audit.History;

/// <summary>
/// Shows the personal data inside stored events by the existing rules: never a ciphertext or a
/// blind index. A sealed value is opened with the key it names (a person's, or a household's or
/// caregiver family's): a sealed member record becomes its fields, a sealed field its text. For a
/// caller without <c>pii:read</c> both are masked by <see cref="PersonalDataMask"/> (identifiers cut,
/// birth dates to their year); a caller with it sees them in full, and the caller of this class
/// records the disclosure. <c>"[erased]"</c> where the key was forgotten.
/// </summary>
public sealed class PersonalDataInEvents(PersonalDataVault vault, IQuerySession session, bool reveal)
{
    private readonly Dictionary<string, DataProtector> _protectors = new(StringComparer.Ordinal);

    /// <summary>The owners (household or family streams) whose personal data was shown in full.</summary>
    public HashSet<(Guid Owner, string? StreamKind)> Revealed { get; } = [];

    /// <summary>The event's data as the caller may see it.</summary>
    public async Task<JsonNode?> Show(AuditEvent e, CancellationToken token)
    {
        var node = JsonNode.Parse(e.Stored.Chained.Data);
        if (!Guid.TryParse(e.Stored.Chained.StreamId, out var owner)) return node;
        await Walk(node, EventType(e.Stored.DotnetType), owner, e.StreamKind, token);
        if (!reveal) PersonalDataMask.BirthDatesToYears(node);
        return node;
    }

    /// <summary>
    /// Walks the stored JSON of a value of <paramref name="type"/> (null: unknown). A sealed value is
    /// opened as the field its member declares (<see cref="SealedMembers"/>): the JSON name, unless the
    /// member was sealed under another name.
    /// </summary>
    private async Task Walk(JsonNode? node, Type? type, Guid owner, string? kind, CancellationToken token)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    var (field, member) = SealedMembers.FieldOf(type, name);
                    if (name.Equals("residentIdIndex", StringComparison.OrdinalIgnoreCase))
                    {
                        obj.Remove(name);
                    }
                    else if (IsProtected(value))
                    {
                        obj[name] = await Open(field, value!.AsObject(), owner, kind, token);
                    }
                    else
                    {
                        await Walk(value, member, owner, kind, token);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array) await Walk(item, type, owner, kind, token);
                break;
        }
    }

    /// <summary>The event's type from its stored .NET type name, or null when this build does not know it.</summary>
    private static Type? EventType(string? dotnetType) =>
        string.IsNullOrEmpty(dotnetType) ? null : Type.GetType(dotnetType, throwOnError: false);

    private static readonly HashSet<string> Identifiers = new(StringComparer.Ordinal)
    {
        PersonalDataMask.Fields.ResidentId, PersonalDataMask.Fields.Phone, PersonalDataMask.Fields.DisabilityCertificateNo,
        PersonalDataMask.Fields.CertificateNo,
    };

    private static bool IsProtected(JsonNode? value) =>
        value is JsonObject o && o.Count == 2 && o.ContainsKey("keyId") && o.ContainsKey("ciphertext");

    private async Task<JsonNode?> Open(string field, JsonObject value, Guid owner, string? kind, CancellationToken token)
    {
        var sealedValue = value.Deserialize<ProtectedValue>(AuditJson.Options)!;
        var protector = await ProtectorOf(sealedValue.KeyId, token);
        string? plain;
        try
        {
            plain = protector?.Reveal(field, sealedValue);
        }
        catch (CryptographicException)
        {
            plain = null;
        }

        if (plain is null) return JsonValue.Create(PersonalDataMask.Erased);
        // A name, an address or a note is shown to whoever may read the record, as in the views; only
        // identifiers are masked.
        if (field != MemberFields.Personal && !Identifiers.Contains(field)) return JsonValue.Create(plain);
        if (reveal) Revealed.Add((owner, kind));
        if (field != MemberFields.Personal) return JsonValue.Create(reveal ? plain : PersonalDataMask.Value(field, plain));

        // A sealed member record: its fields, the identifiers masked unless revealed.
        var record = JsonNode.Parse(plain)!.AsObject();
        if (!reveal)
        {
            foreach (var identifier in new[] { PersonalDataMask.Fields.ResidentId, PersonalDataMask.Fields.Phone,
                         PersonalDataMask.Fields.DisabilityCertificateNo })
            {
                if (record[identifier] is JsonValue v && v.TryGetValue<string>(out var text))
                    record[identifier] = PersonalDataMask.Value(identifier, text);
            }
        }

        return record;
    }

    /// <summary>The protector a key id names (<c>p-{person}</c> or <c>hh-{record}-1</c>), loaded once per id.</summary>
    private async Task<DataProtector?> ProtectorOf(string keyId, CancellationToken token)
    {
        if (_protectors.TryGetValue(keyId, out var known)) return known;
        DataProtector? protector = null;
        if (keyId.StartsWith("p-", StringComparison.Ordinal) && Guid.TryParseExact(keyId[2..], "N", out var person))
            protector = vault.ForPerson(person, await session.LoadAsync<PersonDataKey>(person, token));
        else if (keyId.StartsWith("hh-", StringComparison.Ordinal) && keyId.Length > 35
                 && Guid.TryParseExact(keyId[3..35], "N", out var record))
            protector = await vault.ForHousehold(session, record, token);
        if (protector is not null) _protectors[keyId] = protector;
        return protector;
    }
}
