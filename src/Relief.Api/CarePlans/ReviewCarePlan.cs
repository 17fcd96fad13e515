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

/// <summary>Review the plan on <c>reviewedOn</c>; the next review is due by <c>nextReviewOn</c>. The note is optional.</summary>
public sealed record ReviewCarePlan([property: JsonRequired] int Version, DateOnly? ReviewedOn, [property: Required] DateOnly? NextReviewOn, [property: MaxLength(500)] string? Note) : IHasExample<ReviewCarePlan>
{
    public static ReviewCarePlan Example { get; } = new(6, new DateOnly(2020, 10, 1), new DateOnly(2021, 4, 1), "照护到位，维持原方案。");
}

public static class ReviewCarePlanEndpoint
{
    public static Task<PlanHousehold> LoadAsync(Guid planId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        PlanHousehold.LoadAsync(planId, session, vault, token);

    public static ProblemDetails Validate(ReviewCarePlan command, CarePlan plan, PlanHousehold household, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var (since, what) = plan.LastReviewedOn is { } last ? (last, "the plan was last reviewed") : (plan.ActivatedOn ?? plan.DraftedOn, "the plan came into force");
        CarePlanRules.RequireDate(errors, "reviewedOn", command.ReviewedOn, now, since, what);
        if (command.NextReviewOn is null) errors.Add("nextReviewOn", "is required.");
        else if (command.ReviewedOn is { } on && command.NextReviewOn <= on) errors.Add("nextReviewOn", "must be after reviewedOn.");
        errors.OptionalText("note", command.Note, 500);
        return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem(), household.Open(plan),
            CarePlanRules.InForce(plan, "it is reviewed"), household.MaySeal(command.Note));
    }

    /// <summary>Records the review; the plan is active again, and its next review is raised as at activation.</summary>
    [WolverinePost("/api/care-plans/{planId}/review"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CarePlans)]
    public static (PlanSaved, Events, OutgoingMessages) Post(ReviewCarePlan command, [WriteModel("planId")] CarePlan plan,
        PlanHousehold household, CarePlanSchedule schedule, DateTimeOffset now)
    {
        var reviewOn = command.NextReviewOn!.Value;
        var dueFrom = schedule.ReviewDueFrom(reviewOn);
        return (new PlanSaved(plan.Id),
            [new CarePlanReviewed(plan.Id, plan.HouseholdId, command.ReviewedOn!.Value, reviewOn, dueFrom, household.Seal(command.Note))],
            CarePlanReviews.For(plan.Id, reviewOn, dueFrom, now));
    }
}
