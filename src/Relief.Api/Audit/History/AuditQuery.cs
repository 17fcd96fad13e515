using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;

namespace Relief.Api.Audit.History;

/// <summary>Which date a <c>from</c>/<c>to</c> filter reads.</summary>
public enum DateKind
{
    /// <summary>When Relief recorded the event (China date of its timestamp).</summary>
    Recorded,
    /// <summary>When the thing happened, as the department said (<c>signedOn</c>, <c>admittedOn</c> …).</summary>
    Business,
}

/// <summary>
/// The filters of the history and ledger lists, parsed from the query string with field errors:
/// <c>department</c>, <c>type</c> (an event name, e.g. <c>HouseholdRegistered</c>), <c>from</c>/<c>to</c>
/// (dates, inclusive) on the <c>dates</c> they name (<c>recorded</c>, the default, or <c>business</c>),
/// <c>asOf</c> (as known then: an instant, or a date meaning the end of that day in China),
/// <c>cursor</c> (the last sequence of the previous page) and <c>limit</c> (1 to 200).
/// </summary>
public sealed record AuditQuery(
    Department? Department,
    string? Type,
    DateOnly? From,
    DateOnly? To,
    DateKind Dates,
    DateTimeOffset? KnownAt,
    long After,
    int Limit)
{
    public static ProblemDetails? Validate(string? department, string? type, string? from, string? to, string? dates,
        string? asOf, string? cursor, string? limit)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateEnum<Department>("department", department, errors);
        if (type is not null && (type.Length is 0 or > 100 || !type.All(char.IsAsciiLetterOrDigit)))
            errors.Add("type", "is an event name such as HouseholdRegistered.");
        QueryValues.ValidateDate("from", from, errors);
        QueryValues.ValidateDate("to", to, errors);
        QueryValues.ValidateEnum<DateKind>("dates", dates, errors);
        if (asOf is not null && Instant(asOf) is null) errors.Add("asOf", "is a date (yyyy-MM-dd: the end of that day in China) or an instant with its offset.");
        if (cursor is not null && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var after) || after < 0))
            errors.Add("cursor", "is not a cursor this list gave.");
        QueryValues.ValidatePaging(null, limit, errors);
        return errors.Any ? errors.ToProblem() : null;
    }

    public static AuditQuery Parse(string? department, string? type, string? from, string? to, string? dates,
        string? asOf, string? cursor, string? limit) =>
        new(QueryValues.Enum<Department>(department), type, QueryValues.Date(from), QueryValues.Date(to),
            QueryValues.Enum<DateKind>(dates) ?? DateKind.Recorded, asOf is null ? null : Instant(asOf),
            cursor is null ? 0 : long.Parse(cursor, CultureInfo.InvariantCulture), QueryValues.Limit(limit));

    /// <summary>A date is the end of that day in China (the first instant of the next); otherwise an ISO instant with offset.</summary>
    public static DateTimeOffset? Instant(string value)
    {
        if (QueryValues.Date(value) is { } day) return new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        return value.Length > 10 && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
               && (value.EndsWith('Z') || value.Contains('+') || value.LastIndexOf('-') > 9)
            ? at
            : null;
    }
}
