using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CarePlans.Reviews;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CarePlans;

/// <summary>Bring the plan into force on <c>activatedOn</c>, to be reviewed by <c>nextReviewOn</c>.</summary>
public sealed record ActivateCarePlan([property: JsonRequired] int Version, DateOnly? ActivatedOn, [property: Required] DateOnly? NextReviewOn) : IHasExample<ActivateCarePlan>
{
    public static ActivateCarePlan Example { get; } = new(5, new DateOnly(2020, 10, 1), new DateOnly(2021, 4, 1));
}

public static class ActivateCarePlanEndpoint
{
    public static Task<PlanHousehold> LoadAsync(Guid planId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        PlanHousehold.LoadAsync(planId, session, vault, token);

    /// <summary>
    /// A plan comes into force once: with an assessment, chosen care and a responsible cadre whose data
    /// was not erased (409 naming what is missing); its review date comes after its activation.
    /// </summary>
    public static ProblemDetails Validate(ActivateCarePlan command, CarePlan plan, PlanHousehold household, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CarePlanRules.RequireDate(errors, "activatedOn", command.ActivatedOn, now, plan.DraftedOn, "the plan was drafted");
        if (command.NextReviewOn is null) errors.Add("nextReviewOn", "is required.");
        else if (command.ActivatedOn is { } on && command.NextReviewOn <= on) errors.Add("nextReviewOn", "must be after activatedOn.");

        var missing = new List<string>();
        if (!plan.Assessed) missing.Add("an assessment");
        if (plan.Care.Count == 0) missing.Add("chosen care");
        if (!plan.HasCadre) missing.Add("a responsible cadre");
        return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem(), household.Open(plan),
            plan.IsActive
                ? Problems.Conflict(ProblemTypes.Conflict, "The care plan is in force.",
                    $"It was activated on {plan.ActivatedOn:yyyy-MM-dd}; review it instead.")
                : null,
            missing.Count > 0
                ? Problems.Conflict(ProblemTypes.Conflict, "The care plan is not complete.",
                    $"A plan comes into force with an assessment, chosen care and a responsible cadre; it lacks {string.Join(", ", missing)}.")
                : null);
    }

    /// <summary>
    /// Activates the plan. Relief itself raises its review: durable scheduled checks, stored in the
    /// same transaction, find it due from <c>reviewDueFrom</c> and overdue the day after <c>nextReviewOn</c>.
    /// </summary>
    [WolverinePost("/api/care-plans/{planId}/activation"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CarePlans)]
    public static (PlanSaved, Events, OutgoingMessages) Post(ActivateCarePlan command, [WriteModel("planId")] CarePlan plan,
        CarePlanSchedule schedule, DateTimeOffset now)
    {
        var (on, reviewOn) = (command.ActivatedOn!.Value, command.NextReviewOn!.Value);
        var dueFrom = schedule.ReviewDueFrom(reviewOn);
        return (new PlanSaved(plan.Id),
            [new CarePlanActivated(plan.Id, plan.HouseholdId, plan.Township, on, reviewOn, dueFrom, schedule.NextFollowUp(on, plan.Care))],
            CarePlanReviews.For(plan.Id, reviewOn, dueFrom, now));
    }
}
