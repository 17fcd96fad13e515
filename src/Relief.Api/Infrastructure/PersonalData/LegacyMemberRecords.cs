using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Relief.Core.Protection;

namespace Relief.Api.Infrastructure.PersonalData;

/// <summary>
/// Reads a member record of either shape: today's (<c>relation</c>, <c>gender</c>, and everything
/// personal sealed as one <c>personal</c> value under the person's key), and the shape events had
/// before per-person sealing, where name, birth date and disability data stood in clear in the record
/// and the identifiers were plain strings or sealed one by one under the household's key. An old
/// record reads as a <em>legacy plaintext</em> personal value (<see cref="ProtectedValue.IsLegacyPlaintext"/>):
/// the JSON of its personal fields, identifiers sealed under the household key kept as they were (the
/// blind index left out), opened by <see cref="LegacyRecord.Open{T}"/>. It is written back as that plain
/// string, so projections rebuild the same. Such a record was never erased: it shows as recorded.
/// </summary>
public abstract class MemberRecordJsonConverter<T> : JsonConverter<T> where T : class
{
    private static readonly HashSet<string> Structure = new(StringComparer.OrdinalIgnoreCase) { "relation", "gender", "residentIdIndex" };

    /// <summary>The record from its relation and gender (JSON), and its personal value.</summary>
    protected abstract T Create(JsonNode? relation, JsonNode? gender, ProtectedValue personal, JsonSerializerOptions options);

    /// <summary>The record's relation, gender and personal value, to write.</summary>
    protected abstract (object Relation, object? Gender, ProtectedValue Personal) Parts(T value);

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject obj) throw new JsonException($"A {typeof(T).Name} is an object.");
        var fields = obj.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var relation = fields.GetValueOrDefault("relation");
        var gender = fields.GetValueOrDefault("gender");
        if (fields.TryGetValue("personal", out var personal))
        {
            return Create(relation, gender, personal.Deserialize<ProtectedValue>(options)
                ?? throw new JsonException($"A {typeof(T).Name}'s personal value is missing."), options);
        }

        // The shape before per-person sealing: every other member is personal, as recorded.
        var legacy = new JsonObject();
        foreach (var (name, value) in obj.Where(p => !Structure.Contains(p.Key))) legacy[name] = value?.DeepClone();
        return Create(relation, gender, ProtectedValue.LegacyPlaintext(legacy.ToJsonString()), options);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var (relation, gender, personal) = Parts(value);
        writer.WriteStartObject();
        writer.WritePropertyName(Name("Relation", options));
        JsonSerializer.Serialize(writer, relation, relation.GetType(), options);
        writer.WritePropertyName(Name("Gender", options));
        if (gender is null) writer.WriteNullValue();
        else JsonSerializer.Serialize(writer, gender, gender.GetType(), options);
        writer.WritePropertyName(Name("Personal", options));
        JsonSerializer.Serialize(writer, personal, options);
        writer.WriteEndObject();
    }

    private static string Name(string name, JsonSerializerOptions options) => options.PropertyNamingPolicy?.ConvertName(name) ?? name;
}

/// <summary>Opens a record recorded in clear before it was sealed (a legacy plaintext value holding its JSON).</summary>
public static class LegacyRecord
{
    /// <summary>
    /// The record from its legacy JSON. A member of it still sealed on its own (an identifier the first
    /// version sealed under the household's key) is opened by <paramref name="reveal"/> (field name,
    /// value), or left out (null) when it cannot be: its key was forgotten or not loaded.
    /// </summary>
    public static T? Open<T>(string json, Func<string, ProtectedValue, string?> reveal, JsonSerializerOptions options) where T : class
    {
        if (JsonNode.Parse(json) is not JsonObject obj) return null;
        foreach (var (name, value) in obj.ToList())
        {
            if (value is JsonObject sealedValue && sealedValue.ContainsKey("keyId") && sealedValue.ContainsKey("ciphertext"))
                obj[name] = reveal(name, sealedValue.Deserialize<ProtectedValue>(options)!);
        }

        return obj.Deserialize<T>(options);
    }
}
