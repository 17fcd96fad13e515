using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;

namespace Relief.Api.Infrastructure.Security;

/// <summary>
/// The township binding of reads: a township-bound caller sees its own township only, whether it
/// names it or not, and naming another township is a 403.
/// </summary>
public static class TownshipScope
{
    /// <summary>The township code a list is limited to, if any.</summary>
    public static string? Of(string? asked, Caller caller, TownshipDirectory townships) =>
        caller.Township ?? townships.Find(asked)?.Code;

    /// <summary>403 when a bound caller names another township; null otherwise.</summary>
    public static ProblemDetails? Check(string? asked, Caller caller, TownshipDirectory townships) =>
        townships.Find(asked) is { } township && !caller.MayTouchTownship(township.Code)
            ? Problems.Forbidden($"This key is bound to the township '{caller.Township}'.")
            : null;

    /// <summary>
    /// 403 when a bound caller touches a <paramref name="what"/> (household, family, case …) of
    /// another township; null otherwise. The one place every module's township rule comes to.
    /// </summary>
    public static ProblemDetails? Access(string? township, Caller caller, string what = "record") =>
        township is not null && !caller.MayTouchTownship(township)
            ? Problems.Forbidden($"This key is bound to the township '{caller.Township}'; the {what} is in '{township}'.")
            : null;
}
