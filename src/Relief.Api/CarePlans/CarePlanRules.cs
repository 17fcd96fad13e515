using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;

namespace Relief.Api.CarePlans;

/// <summary>The rules every change to a care plan obeys.</summary>
public static class CarePlanRules
{
    public static ProblemDetails? Access(CarePlan plan, Caller caller) => TownshipScope.Access(plan.Township, caller, "care plan");

    public static ProblemDetails NotFound(Guid planId) => Problems.NotFound("No such care plan.", $"There is no care plan {planId}.");

    /// <summary><c>{planId}</c> names a care plan on every write route.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<CarePlan>("planId", NotFound);

    /// <summary>409 unless the plan is in force.</summary>
    public static ProblemDetails? InForce(CarePlan plan, string what) =>
        plan.IsActive
            ? null
            : Problems.Conflict(ProblemTypes.Conflict, "The care plan is not in force.",
                $"Plan {plan.Id} is a draft; {what} once it is activated.");

    /// <summary>A business date: required, not in the future, not before the plan was drafted.</summary>
    public static void RequireDate(FieldErrors errors, string field, DateOnly? date, DateTimeOffset now, DateOnly notBefore, string since)
    {
        if (date is null) errors.Add(field, "is required.");
        else if (date > ChinaTime.Today(now)) errors.Add(field, "must not be in the future.");
        else if (date < notBefore) errors.Add(field, $"must not be before {notBefore:yyyy-MM-dd}, when {since}.");
    }
}
