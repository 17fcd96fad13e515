using System.Globalization;
using System.Text.Json.Nodes;
using Relief.Core.Identity;

namespace Relief.Core.Protection;

/// <summary>
/// The one masking rule for every way personal data leaves Relief to a caller without
/// <c>pii:read</c>: views, histories, time travel, ledgers, webhook bodies and exports all call
/// here, so that no answer, and no combination of answers, shows more than this.
/// <list type="bullet">
/// <item>a resident ID keeps its area code (6) and last 4: <c>410823********0020</c>;</item>
/// <item>a birth date is cut to its year, everywhere the masked ID can be seen, because the 8
/// hidden digits of the ID are exactly the birth date;</item>
/// <item>a disability-certificate number (the resident ID and 2 digits) keeps its first 6 and last 4, and so
/// does a training certificate's number;</item>
/// <item>a phone keeps its first 3 and last 4 (<c>138****8000</c>), a landline its area code and last 4;</item>
/// <item>a name, where a page shows names only to those who may see them (the meeting's pages), keeps its
/// first character, the family name, and hides the rest: <c>张*</c>, <c>欧阳**</c> is <c>欧***</c>.</item>
/// </list>
/// What the rule promises, and what it cannot: a masked ID, its birth year and gender narrow the
/// person to the about 33 IDs of that area and year whose check digit fits (365 days / 11); the
/// duplicate check answers only whether an ID is active, recorded as a disclosure and rate-limited.
/// </summary>
public static class PersonalDataMask
{
    /// <summary>What every answer shows in place of personal data whose key was forgotten.</summary>
    public const string Erased = "[erased]";

    /// <summary>The JSON names personal fields carry in events and answers (camelCase).</summary>
    public static class Fields
    {
        public const string ResidentId = "residentId";
        public const string Phone = "phone";
        public const string DisabilityCertificateNo = "disabilityCertificateNo";
        public const string CertificateNo = "certificateNo";
        public const string BirthDate = "birthDate";
        public const string BirthYear = "birthYear";
    }

    /// <summary>A normalized resident ID, masked.</summary>
    public static string ResidentId(string normalized) => Identity.ResidentId.Mask(normalized);

    /// <summary>A normalized phone number, masked.</summary>
    public static string Phone(string normalized) => PhoneNumber.Mask(normalized);

    /// <summary>A disability-certificate number (it embeds the resident ID): the first 6 and last 4 stay.</summary>
    public static string Certificate(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return number.Length <= 10
            ? new string('*', number.Length)
            : string.Concat(number.AsSpan(0, 6), new string('*', number.Length - 10), number.AsSpan(number.Length - 4));
    }

    /// <summary>
    /// A person's name as a masked reader sees it: the first character (text element) stays, every other
    /// becomes <c>*</c>; <see cref="Erased"/> and an empty name stay as they are.
    /// </summary>
    public static string Name(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name == Erased) return name;
        var characters = StringInfo.GetTextElementEnumerator(name.Trim());
        var masked = new System.Text.StringBuilder();
        while (characters.MoveNext())
        {
            masked.Append(masked.Length == 0 ? characters.GetTextElement() : "*");
        }

        return masked.ToString();
    }

    /// <summary>A field's plaintext as a masked caller sees it, by the field's JSON name.</summary>
    public static string Value(string field, string plaintext) => field switch
    {
        Fields.ResidentId => ResidentId(plaintext),
        Fields.Phone => Phone(plaintext),
        _ => Certificate(plaintext),
    };

    /// <summary>
    /// Applies the birth-date rule to JSON shown to a masked caller, at any depth: every
    /// <c>birthDate</c> becomes null and a <c>birthYear</c> stands beside it.
    /// </summary>
    public static void BirthDatesToYears(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == Fields.BirthDate)
                    {
                        obj[name] = null;
                        obj[Fields.BirthYear] = YearOf(value);
                    }
                    else
                    {
                        BirthDatesToYears(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array) BirthDatesToYears(item);
                break;
        }
    }

    private static int? YearOf(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var text)
        && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.Year
            : null;
}
