using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;

namespace Relief.Api.Supervision;

/// <summary>Rules shared by recognition, inspections and evaluations.</summary>
public static class SupervisionRules
{
    /// <summary>404 for an unknown thing of a kind.</summary>
    public static ProblemDetails NotFound(string kind, object id) => Problems.NotFound($"No such {kind}.", $"There is no {kind} {id}.");

    /// <summary>A township key records only in its own township.</summary>
    public static ProblemDetails? Access(string township, Caller caller, string what) =>
        TownshipScope.Access(township, caller, what);

    /// <summary>A business date: required, not after today (China time).</summary>
    public static void RequirePastDate(FieldErrors errors, string field, DateOnly? date, DateTimeOffset now)
    {
        if (date is null) errors.Add(field, "is required.");
        else if (date > ChinaTime.Today(now)) errors.Add(field, "must not be in the future.");
    }

    /// <summary>A required township, by code or name; answers its code when it is one of the county's.</summary>
    public static string? RequireTownship(FieldErrors errors, string? township, TownshipDirectory townships)
    {
        if (township is null) errors.Add("township", "is required.");
        else if (townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        return townships.Find(township)?.Code;
    }
}
