using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;

namespace Relief.Api.Infrastructure.Http;

/// <summary>Checks the raw JSON of a body: syntax, depth, and characters PostgreSQL cannot store.</summary>
public static partial class JsonBodyCheck
{
    private static readonly string[] IsRequired = ["is required."];

    /// <summary>A problem with the body, or null when it is acceptable.</summary>
    public static ProblemDetails? Check(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = RequestLimits.MaxJsonDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;

                string text;
                try
                {
                    text = reader.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return BadText("contains an unpaired surrogate (an invalid \\uD800–\\uDFFF escape)");
                }

                if (text.Contains('\0'))
                {
                    return BadText("contains the NUL character \\u0000, which cannot be stored");
                }

                if (HasLoneSurrogate(text))
                {
                    return BadText("contains an unpaired surrogate (an invalid \\uD800–\\uDFFF escape)");
                }
            }

            return null;
        }
        catch (JsonException) when (reader.CurrentDepth >= RequestLimits.MaxJsonDepth)
        {
            return Invalid($"JSON nesting deeper than {RequestLimits.MaxJsonDepth} levels is not accepted.");
        }
        catch (JsonException e)
        {
            return Invalid($"The body is not valid JSON: {e.Message.Split(" LineNumber:", 2)[0]}");
        }
    }

    /// <summary>
    /// Field errors from a binding failure, without .NET type names: a missing required member is
    /// named as the field itself, anything else under the JSON path where it failed.
    /// </summary>
    public static Dictionary<string, string[]> ErrorsOf(JsonException e)
    {
        var missing = MissingRequired().Match(e.Message);
        if (missing.Success)
        {
            return missing.Groups[1].Value.Split(", ")
                .ToDictionary(name => name.Trim('\''), _ => IsRequired);
        }

        var message = e.Message.Split(" Path:", 2)[0];
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            message = "has the wrong type or format (dates are yyyy-MM-dd, numbers are plain JSON numbers).";
        }
        else if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            message = "is not a field of this request (unknown fields are refused, so that a misspelt one is never dropped).";
        }

        return new Dictionary<string, string[]> { [FieldOf(e.Path)] = [message] };
    }

    [System.Text.RegularExpressions.GeneratedRegex("missing required properties including: (.+?)\\.")]
    private static partial System.Text.RegularExpressions.Regex MissingRequired();

    /// <summary>Turns a System.Text.Json path (<c>$.members[0].relation</c>) into a field name.</summary>
    public static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return true;
                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static ProblemDetails BadText(string what) =>
        Problems.Validation(
            new Dictionary<string, string[]> { ["body"] = [$"A string in the body {what}."] },
            "The body contains text that cannot be stored.");

    private static ProblemDetails Invalid(string detail) => new()
    {
        Type = ProblemTypes.InvalidJson,
        Title = "The body is not acceptable JSON.",
        Detail = detail,
        Status = StatusCodes.Status400BadRequest,
    };
}
