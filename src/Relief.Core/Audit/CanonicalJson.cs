using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Relief.Core.Audit;

/// <summary>
/// One canonical text for a JSON value, so that the same stored value always hashes the same:
/// object members sorted by name (ordinal, UTF-16), no whitespace, numbers exactly as written,
/// strings escaped only where JSON requires it (<c>"</c>, <c>\</c> and control characters, as
/// <c>\u00XX</c>), everything else written as is.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical text of a JSON document given as text.</summary>
    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        var builder = new StringBuilder(json.Length);
        Write(builder, document.RootElement);
        return builder.ToString();
    }

    /// <summary>Appends the canonical text of <paramref name="element"/>.</summary>
    public static void Write(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) builder.Append(',');
                    first = false;
                    WriteString(builder, property.Name);
                    builder.Append(':');
                    Write(builder, property.Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!firstItem) builder.Append(',');
                    firstItem = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            case JsonValueKind.Number:
                builder.Append(element.GetRawText());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    /// <summary>Appends a JSON string: only <c>"</c>, <c>\</c> and characters below U+0020 are escaped.</summary>
    public static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}
