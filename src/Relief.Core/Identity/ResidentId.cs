using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relief.Core.Identity;

/// <summary>
/// The outcome of validating a resident identity number: either the normalized value or an error.
/// </summary>
/// <param name="Value">The normalized number (18 characters, uppercase X), when valid.</param>
/// <param name="Error">An English message suitable for an API field error, when invalid.</param>
public sealed record ResidentIdCheck(string? Value, string? Error)
{
    /// <summary>True when the input is a valid resident identity number.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Value is not null;

    internal static ResidentIdCheck Valid(string value) => new(value, null);

    internal static ResidentIdCheck Invalid(string error) => new(null, error);
}

/// <summary>
/// The Chinese resident identity number (居民身份证号码, GB 11643-1999): 6-digit area code,
/// 8-digit birth date, 3-digit sequence (odd for men) and an ISO 7064 MOD 11-2 check character.
/// </summary>
public static class ResidentId
{
    /// <summary>The length of a resident identity number.</summary>
    public const int Length = 18;

    /// <summary>
    /// The shape <see cref="Validate"/> accepts (after trimming), as a pattern for a schema: 17 digits
    /// and a check character. The check character, the area code and the birth date are checked beyond it.
    /// </summary>
    public const string Pattern = "^[0-9]{17}[0-9Xx]$";

    /// <summary>The message given for full-width digits, shared with <see cref="PhoneNumber"/>.</summary>
    public const string FullWidthMessage =
        "use half-width (ASCII) digits; full-width digits such as '１' are not accepted";

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";
    private static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    /// <summary>
    /// Validates <paramref name="input"/>. Leading and trailing whitespace is ignored; a lowercase x
    /// is accepted and normalized to X.
    /// </summary>
    /// <param name="input">The number as typed.</param>
    /// <param name="today">Today's date (in China), used to reject birth dates in the future.</param>
    public static ResidentIdCheck Validate(string? input, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return ResidentIdCheck.Invalid("a resident ID number is required");
        }

        var text = input.Trim();
        if (text.Any(IsFullWidthDigitOrX))
        {
            return ResidentIdCheck.Invalid(FullWidthMessage);
        }

        if (text.Any(char.IsWhiteSpace))
        {
            return ResidentIdCheck.Invalid("a resident ID number must not contain spaces");
        }

        if (text.Length != Length)
        {
            return ResidentIdCheck.Invalid($"a resident ID number has 18 characters; got {text.Length}");
        }

        for (var i = 0; i < Length - 1; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return ResidentIdCheck.Invalid(
                    $"the first 17 characters must be digits; character {i + 1} is '{text[i]}'");
            }
        }

        var last = text[Length - 1];
        if (!char.IsAsciiDigit(last) && last is not ('X' or 'x'))
        {
            return ResidentIdCheck.Invalid($"the last character must be a digit or X; got '{last}'");
        }

        var normalized = text.ToUpperInvariant();
        if (normalized[0] == '0')
        {
            return ResidentIdCheck.Invalid("the area code (the first 6 digits) must not start with 0");
        }

        var dateText = normalized.Substring(6, 8);
        if (!TryParseDate(dateText, out var birthDate))
        {
            return ResidentIdCheck.Invalid(
                $"characters 7 to 14 must be a real birth date (yyyyMMdd); '{dateText}' is not");
        }

        if (birthDate < EarliestBirthDate)
        {
            return ResidentIdCheck.Invalid($"the birth date {birthDate:yyyy-MM-dd} is before 1900-01-01");
        }

        if (birthDate > today)
        {
            return ResidentIdCheck.Invalid($"the birth date {birthDate:yyyy-MM-dd} is in the future");
        }

        var expected = CheckCharacter(normalized[..17]);
        if (normalized[17] != expected)
        {
            return ResidentIdCheck.Invalid(
                $"the check character is wrong: the 18th character should be '{expected}'");
        }

        return ResidentIdCheck.Valid(normalized);
    }

    /// <summary>
    /// Computes the ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') of the first 17 digits.
    /// </summary>
    public static char CheckCharacter(string first17Digits)
    {
        ArgumentNullException.ThrowIfNull(first17Digits);
        if (first17Digits.Length != 17 || !first17Digits.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("exactly 17 ASCII digits are expected", nameof(first17Digits));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17Digits[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Creates a valid number, computing its check character (for tests and demo data).</summary>
    /// <param name="areaCode6">Six digits, not starting with 0 (e.g. Wuzhi County's 410823).</param>
    /// <param name="birthDate">The birth date, from 1900-01-01.</param>
    /// <param name="sequence3">The sequence number, 0 to 999; odd for men, even for women.</param>
    public static string Create(string areaCode6, DateOnly birthDate, int sequence3)
    {
        ArgumentNullException.ThrowIfNull(areaCode6);
        if (areaCode6.Length != 6 || !areaCode6.All(char.IsAsciiDigit) || areaCode6[0] == '0')
        {
            throw new ArgumentException("the area code must be 6 ASCII digits not starting with 0", nameof(areaCode6));
        }

        if (birthDate < EarliestBirthDate)
        {
            throw new ArgumentOutOfRangeException(nameof(birthDate), "the birth date must be from 1900-01-01");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence3, 999);

        var first17 = string.Create(CultureInfo.InvariantCulture, $"{areaCode6}{birthDate:yyyyMMdd}{sequence3:D3}");
        return first17 + CheckCharacter(first17);
    }

    /// <summary>The birth date encoded in a normalized (already validated) number.</summary>
    public static DateOnly BirthDate(string normalized)
    {
        RequireShape(normalized);
        return TryParseDate(normalized.Substring(6, 8), out var date)
            ? date
            : throw new ArgumentException("characters 7 to 14 are not a date", nameof(normalized));
    }

    /// <summary>True when the 17th digit (the last of the sequence) is odd, which marks a man.</summary>
    public static bool IsMale(string normalized)
    {
        RequireShape(normalized);
        return (normalized[16] - '0') % 2 == 1;
    }

    /// <summary>Masks a normalized number for display: the area code and the last 4 characters stay.</summary>
    /// <example><c>410823195003150010</c> becomes <c>410823********0010</c>.</example>
    public static string Mask(string normalized)
    {
        RequireShape(normalized);
        return string.Concat(normalized.AsSpan(0, 6), new string('*', 8), normalized.AsSpan(14, 4));
    }

    private static bool TryParseDate(string yyyyMMdd, out DateOnly date) =>
        DateOnly.TryParseExact(yyyyMMdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static void RequireShape(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (normalized.Length != Length || !normalized[..17].All(char.IsAsciiDigit))
        {
            throw new ArgumentException("a normalized resident ID number (18 characters) is expected", nameof(normalized));
        }
    }

    internal static bool IsFullWidthDigitOrX(char c) =>
        c is (>= '\uFF10' and <= '\uFF19') or '\uFF38' or '\uFF58';
}
