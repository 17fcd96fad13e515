using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Relief.Core.Identity;

/// <summary>The kind of a mainland phone number.</summary>
public enum PhoneKind
{
    /// <summary>An 11-digit mobile number starting with 13 to 19.</summary>
    Mobile,

    /// <summary>A landline number with its area code, e.g. 0391-1234567.</summary>
    Landline,
}

/// <summary>
/// The outcome of validating a phone number: either the normalized value and its kind, or an error.
/// </summary>
/// <param name="Value">The normalized number, when valid.</param>
/// <param name="Kind">Mobile or landline, when valid.</param>
/// <param name="Error">An English message suitable for an API field error, when invalid.</param>
public sealed record PhoneNumberCheck(string? Value, PhoneKind? Kind, string? Error)
{
    /// <summary>True when the input is a valid phone number.</summary>
    [MemberNotNullWhen(true, nameof(Value), nameof(Kind))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Value is not null;

    internal static PhoneNumberCheck Valid(string value, PhoneKind kind) => new(value, kind, null);

    internal static PhoneNumberCheck Invalid(string error) => new(null, null, error);
}

/// <summary>
/// A mainland China phone number: a mobile number (11 digits, <c>1[3-9]</c>…) or a landline
/// written with its area code and a hyphen (<c>0\d{2,3}-\d{7,8}</c>).
/// </summary>
public static partial class PhoneNumber
{
    /// <summary>An 11-digit mobile number (<c>13800138000</c>).</summary>
    public const string Mobile = "1[3-9][0-9]{9}";

    /// <summary>A landline with its area code and a hyphen (<c>0391-1234567</c>).</summary>
    public const string Landline = "0[0-9]{2,3}-[0-9]{7,8}";

    /// <summary>What <see cref="Validate"/> accepts (after trimming), as a pattern for a schema.</summary>
    public const string Pattern = "^(" + Mobile + "|" + Landline + ")$";

    private const string Expected =
        "a phone number must be an 11-digit mobile number (e.g. 13800138000) or a landline with its area code (e.g. 0391-1234567)";

    /// <summary>Validates <paramref name="input"/>; leading and trailing whitespace is ignored.</summary>
    public static PhoneNumberCheck Validate(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return PhoneNumberCheck.Invalid("a phone number is required");
        }

        var text = input.Trim();
        if (text.Any(c => c is >= '\uFF10' and <= '\uFF19'))
        {
            return PhoneNumberCheck.Invalid(ResidentId.FullWidthMessage);
        }

        if (text.Any(char.IsWhiteSpace))
        {
            return PhoneNumberCheck.Invalid("a phone number must not contain spaces");
        }

        if (MobilePattern().IsMatch(text))
        {
            return PhoneNumberCheck.Valid(text, PhoneKind.Mobile);
        }

        if (LandlinePattern().IsMatch(text))
        {
            return PhoneNumberCheck.Valid(text, PhoneKind.Landline);
        }

        if (text[0] == '1' && text.All(char.IsAsciiDigit))
        {
            return PhoneNumberCheck.Invalid(text.Length == 11
                ? "a mobile number must start with 13 to 19"
                : $"a mobile number has 11 digits; got {text.Length}");
        }

        if (text[0] == '0')
        {
            return PhoneNumberCheck.Invalid(
                "a landline number must be its area code (3 or 4 digits starting with 0), a hyphen and 7 or 8 digits, e.g. 0391-1234567");
        }

        return PhoneNumberCheck.Invalid(Expected);
    }

    /// <summary>
    /// Masks a normalized number for display: a mobile keeps its first 3 and last 4 digits
    /// (<c>138****8000</c>); a landline keeps its area code and last 4 digits (<c>0391-***4567</c>).
    /// </summary>
    public static string Mask(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (MobilePattern().IsMatch(normalized))
        {
            return string.Concat(normalized.AsSpan(0, 3), "****", normalized.AsSpan(7, 4));
        }

        if (LandlinePattern().IsMatch(normalized))
        {
            var hyphen = normalized.IndexOf('-');
            var hidden = normalized.Length - hyphen - 1 - 4;
            return string.Concat(normalized.AsSpan(0, hyphen + 1), new string('*', hidden), normalized.AsSpan(normalized.Length - 4));
        }

        throw new ArgumentException("a normalized phone number is expected", nameof(normalized));
    }

    // [0-9] rather than \d: .NET's \d also matches full-width and other Unicode digits.
    [GeneratedRegex("^" + Mobile + @"\z")]
    private static partial Regex MobilePattern();

    [GeneratedRegex("^" + Landline + @"\z")]
    private static partial Regex LandlinePattern();
}
