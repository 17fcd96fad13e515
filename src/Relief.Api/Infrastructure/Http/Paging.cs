using System.Globalization;
using System.Text.Json.Serialization;
using Relief.Api.Infrastructure.Errors;

namespace Relief.Api.Infrastructure.Http;

/// <summary>A page of a list; pass <c>nextCursor</c> back as <c>cursor</c> for the next page (null on the last).</summary>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);

/// <summary>
/// Query-string values, read as text and parsed here with field errors: bound as <c>int?</c>,
/// <c>Guid?</c> or an enum, Wolverine would silently take a value that does not parse for absent,
/// and a mistyped filter would quietly list everything.
/// </summary>
public static class QueryValues
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Checks <c>cursor</c> (an id this list gave) and <c>limit</c> (1 to 200).</summary>
    public static void ValidatePaging(string? cursor, string? limit, FieldErrors errors)
    {
        if (cursor is not null && !Guid.TryParse(cursor, out _)) errors.Add("cursor", "is not a cursor this list gave.");
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                                  || size is < 1 or > MaxLimit))
            errors.Add("limit", $"is a whole number from 1 to {MaxLimit}.");
    }

    public static int Limit(string? limit) => limit is null ? DefaultLimit : int.Parse(limit, CultureInfo.InvariantCulture);

    public static Guid? Cursor(string? cursor) => cursor is null ? null : Guid.Parse(cursor);

    public static void ValidateEnum<T>(string field, string? value, FieldErrors errors) where T : struct, Enum
    {
        if (value is not null && Enum<T>(value) is null)
            errors.Add(field, $"'{value}' is not a {typeof(T).Name}; allowed values: {string.Join(", ", System.Enum.GetNames<T>())}.");
    }

    public static T? Enum<T>(string? value) where T : struct, Enum =>
        value is not null && !char.IsDigit(value.FirstOrDefault()) && System.Enum.TryParse<T>(value, true, out var parsed)
        && System.Enum.IsDefined(parsed) ? parsed : null;

    public static void ValidateBool(string field, string? value, FieldErrors errors)
    {
        if (value is not null && !bool.TryParse(value, out _)) errors.Add(field, "is true or false.");
    }

    public static bool? Bool(string? value) => value is null ? null : bool.Parse(value);

    public static void ValidateDate(string field, string? value, FieldErrors errors)
    {
        if (value is not null && Date(value) is null) errors.Add(field, "is a date written yyyy-MM-dd.");
    }

    public static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}

/// <summary>
/// What the OpenAPI document says of a query value the code reads as text, beyond what its name
/// tells (<c>cursor</c>, <c>limit</c>, <c>township</c>, dates and flags are described by name): the
/// enum whose names it takes (as <see cref="QueryValues.ValidateEnum{T}"/> checks), whether it is
/// required, and a description.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class QueryAttribute : Attribute
{
    /// <summary>The enum whose names the value takes (case-insensitive).</summary>
    public Type? OneOf { get; init; }

    public bool Required { get; init; }

    public string? Description { get; init; }
}
