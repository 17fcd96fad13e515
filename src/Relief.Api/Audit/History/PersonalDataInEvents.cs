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
/// blind index; a resident ID, certificate number or phone decrypted with its household's (or
/// caregiver family's) key and masked by <see cref="PersonalDataMask"/> (birth dates cut to their
/// year), or in full for a caller with <c>pii:read</c> (and then the disclosure is recorded by the
/// caller of this class); <c>"[erased]"</c> after crypto-shredding.
/// </summary>
public sealed class PersonalDataInEvents(PersonalDataVault vault, IQuerySession session, bool reveal)
{
    public const string Erased = "[erased]";
    private readonly Dictionary<Guid, HouseholdProtector> _protectors = [];

    /// <summary>The owners (household or family streams) whose identifiers were shown in full.</summary>
    public HashSet<(Guid Owner, string? StreamKind)> Revealed { get; } = [];

    /// <summary>The event's data as the caller may see it.</summary>
    public async Task<JsonNode?> Show(AuditEvent e, CancellationToken token)
    {
        var node = JsonNode.Parse(e.Stored.Chained.Data);
        if (!Guid.TryParse(e.Stored.Chained.StreamId, out var owner)) return node;
        await Walk(node, owner, e.StreamKind, token);
        if (!reveal) PersonalDataMask.BirthDatesToYears(node);
        return node;
    }

    private async Task Walk(JsonNode? node, Guid owner, string? kind, CancellationToken token)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name.Equals("residentIdIndex", StringComparison.OrdinalIgnoreCase))
                    {
                        obj.Remove(name);
                    }
                    else if (IsProtected(value))
                    {
                        obj[name] = await Reveal(name, value!.AsObject(), owner, kind, token);
                    }
                    else
                    {
                        await Walk(value, owner, kind, token);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array) await Walk(item, owner, kind, token);
                break;
        }
    }

    private static bool IsProtected(JsonNode? value) =>
        value is JsonObject o && o.Count == 2 && o.ContainsKey("keyId") && o.ContainsKey("ciphertext");

    private async Task<string> Reveal(string field, JsonObject value, Guid owner, string? kind, CancellationToken token)
    {
        if (!_protectors.TryGetValue(owner, out var protector))
        {
            protector = await vault.ForHousehold(session, owner, token);
            _protectors[owner] = protector;
        }

        string? plain;
        try
        {
            plain = protector.Reveal(field,
                value.Deserialize<Relief.Core.Protection.ProtectedValue>(AuditJson.Options));
        }
        catch (CryptographicException)
        {
            plain = null;
        }

        if (plain is null) return Erased;
        if (reveal)
        {
            Revealed.Add((owner, kind));
            return plain;
        }

        return PersonalDataMask.Value(field, plain);
    }
}
