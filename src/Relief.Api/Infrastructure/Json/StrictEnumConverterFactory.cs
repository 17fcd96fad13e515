using System.Text.Json;
using System.Text.Json.Serialization;

namespace Relief.Api.Infrastructure.Json;

/// <summary>
/// Enums travel as their names only. Numbers, and names that are not members, are refused with a
/// message that lists the allowed values, so an integrating department can fix its mapping at once.
/// </summary>
public sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class StrictEnumConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly string Allowed = string.Join(", ", Enum.GetNames<T>());

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? Parse(reader.GetString())
                : throw new JsonException($"A {typeof(T).Name} is written as a string; allowed values: {Allowed}.");

        private static T Parse(string? text) =>
            text is { Length: > 0 } && !char.IsDigit(text[0]) && text[0] != '-'
            && Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
                ? value
                : throw new JsonException($"'{text}' is not a {typeof(T).Name}; allowed values: {Allowed}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value.ToString());
    }
}
