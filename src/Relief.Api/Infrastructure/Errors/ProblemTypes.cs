using Microsoft.AspNetCore.Mvc;

namespace Relief.Api.Infrastructure.Errors;

/// <summary>
/// The stable <c>type</c> of every problem Relief answers with (RFC 9457). Integrators branch on
/// these, never on titles or details. The README lists them.
/// </summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:relief:problem:";

    public const string Validation = Prefix + "validation";
    public const string InvalidJson = Prefix + "invalid-json";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string NotFound = Prefix + "not-found";
    public const string Conflict = Prefix + "conflict";
    public const string ConcurrencyConflict = Prefix + "concurrency-conflict";
    public const string IdempotencyKeyInvalid = Prefix + "idempotency-key-invalid";
    public const string IdempotencyKeyReused = Prefix + "idempotency-key-reused";
    public const string IdempotencyInProgress = Prefix + "idempotency-in-progress";
    public const string DuplicateResident = Prefix + "duplicate-resident";
    public const string HouseholdClosed = Prefix + "household-closed";

    /// <summary>The caller's county is retired from the county registry: its records are read, never written.</summary>
    public const string CountyRetired = Prefix + "county-retired";

    /// <summary>
    /// The eligibility chain (八延伸): the caregiver family holds no kinship, neighbour or
    /// assigned-helper agreement in force on the date of a policy case, an enrolment or a placement.
    /// </summary>
    public const string NoQualifyingAgreement = Prefix + "no-qualifying-agreement";

    /// <summary>The family or household already has an open case of this policy.</summary>
    public const string CaseAlreadyOpen = Prefix + "case-already-open";

    /// <summary>A verification round of this township and policy is already open (逐户核实).</summary>
    public const string RoundAlreadyOpen = Prefix + "round-already-open";

    /// <summary>The verification round is closed: no check is recorded in it, and it does not close again.</summary>
    public const string RoundClosed = Prefix + "round-closed";

    /// <summary>This family or household was already checked in the round.</summary>
    public const string AlreadyChecked = Prefix + "already-checked";

    /// <summary>The admission rule in force refuses this person an admission or a trial stay.</summary>
    public const string NotAdmissible = Prefix + "not-admissible";
    /// <summary>An uploaded spreadsheet cannot be read as one: empty, not UTF-8 or GB18030, an unknown or missing column, too many rows.</summary>
    public const string UnreadableSpreadsheet = Prefix + "unreadable-spreadsheet";

    /// <summary>One or more rows of an uploaded spreadsheet were refused, so nothing was written; the problem lists each row.</summary>
    public const string UploadRefused = Prefix + "upload-refused";

    /// <summary>A region's roll-up could read none of the region's counties: each is named in <c>leftOut</c> (503).</summary>
    public const string CountiesUnreachable = Prefix + "counties-unreachable";

    /// <summary>
    /// The county's database refuses writes for now: it is being moved to another server (a read-only
    /// database), or it ended the session (a restart). Nothing was written; retry after <c>Retry-After</c> (503).
    /// </summary>
    public const string DatabaseUnavailable = Prefix + "database-unavailable";

    public const string BusinessRule = Prefix + "business-rule";
    public const string TooManyRequests = Prefix + "too-many-requests";
    public const string Internal = Prefix + "internal";

    /// <summary>The type a bare status code stands for, where nobody chose a more precise one.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => Validation,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        409 => ConcurrencyConflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => BusinessRule,
        429 => TooManyRequests,
        _ when status >= 500 => Internal,
        _ => "about:blank",
    };
}

/// <summary>Builders for the problems handlers return from their <c>Validate</c> methods.</summary>
public static class Problems
{
    /// <summary>400 with field-level errors (camelCase field paths).</summary>
    public static ProblemDetails Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        new ValidationProblemDetails(errors)
        {
            Type = ProblemTypes.Validation,
            Title = "The request is not valid.",
            Status = StatusCodes.Status400BadRequest,
            Detail = detail ?? "See errors for each field.",
        };

    /// <summary>404: there is no such thing (a household, a member, a case …).</summary>
    public static ProblemDetails NotFound(string title, string detail) =>
        new() { Type = ProblemTypes.NotFound, Title = title, Detail = detail, Status = StatusCodes.Status404NotFound };

    /// <summary>409: the request contradicts the current state.</summary>
    public static ProblemDetails Conflict(string type, string title, string detail) =>
        new() { Type = type, Title = title, Detail = detail, Status = StatusCodes.Status409Conflict };

    /// <summary>403: the caller may not do this to this resource.</summary>
    public static ProblemDetails Forbidden(string detail) =>
        new()
        {
            Type = ProblemTypes.Forbidden, Title = "Forbidden.", Detail = detail,
            Status = StatusCodes.Status403Forbidden,
        };

    /// <summary>The first of several possible problems, or Wolverine's "no problems".</summary>
    public static ProblemDetails FirstOf(params ProblemDetails?[] problems) =>
        problems.FirstOrDefault(p => p is not null && !ReferenceEquals(p, Wolverine.Http.WolverineContinue.NoProblems))
        ?? Wolverine.Http.WolverineContinue.NoProblems;

    /// <summary>429: not now; the caller retries after <c>Retry-After</c> (a rate limit or a concurrency cap).</summary>
    public static ProblemDetails TooManyRequests(string title, string detail) =>
        new()
        {
            Type = ProblemTypes.TooManyRequests, Title = title, Detail = detail,
            Status = StatusCodes.Status429TooManyRequests,
        };

    /// <summary>422: well-formed, but a business rule refuses it.</summary>
    public static ProblemDetails BusinessRule(string title, string detail) =>
        new()
        {
            Type = ProblemTypes.BusinessRule, Title = title, Detail = detail,
            Status = StatusCodes.Status422UnprocessableEntity,
        };
}
