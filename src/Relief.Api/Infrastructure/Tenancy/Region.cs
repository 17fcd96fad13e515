using System.Text.RegularExpressions;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>
/// The counties a region's credential reads the roll-ups of: a province (<c>41</c>, Henan), a city
/// (<c>4108</c>, 焦作) or an explicit list of counties (<c>410823 410822</c>), each part a prefix of the
/// six-digit administrative codes (2 digits: a province, 4: a city) or a county code itself. Written
/// with spaces or commas between the parts, in an API key's <c>Region</c> or a token's <c>region</c> claim.
/// </summary>
public sealed partial record Region(IReadOnlyList<string> Parts)
{
    /// <summary>The region as written (its parts, space-separated).</summary>
    public string Code => string.Join(' ', Parts);

    /// <summary>Whether a county is in the region.</summary>
    public bool Covers(string countyCode) => Parts.Any(p => countyCode.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The counties the region names one by one (six-digit parts): named in a roll-up even when not served here.</summary>
    public IEnumerable<string> NamedCounties => Parts.Where(p => p.Length == 6);

    /// <summary>The region a credential names, or null with why not.</summary>
    public static Region? Parse(string? written, out string? refusal)
    {
        var parts = (written ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        refusal = parts.Length == 0
            ? "A region names at least one county-code prefix (41 a province, 4108 a city) or county code (410823)."
            : parts.FirstOrDefault(p => !Part().IsMatch(p)) is { } bad
                ? $"'{bad}' is not a region: a province (2 digits, 41), a city (4 digits, 4108) or a county (6 digits, 410823)."
                : null;
        return refusal is null ? new Region([.. parts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]) : null;
    }

    [GeneratedRegex("^([0-9]{2}|[0-9]{4}|[0-9]{6})$")]
    private static partial Regex Part();
}
