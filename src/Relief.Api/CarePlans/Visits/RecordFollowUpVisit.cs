using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CarePlans.Visits;

/// <summary>Record a follow-up visit (随访) on <c>visitedOn</c>, with an optional note.</summary>
public sealed record RecordFollowUpVisit([property: JsonRequired] int Version, DateOnly? VisitedOn, [property: MaxLength(500)] string? Note) : IHasExample<RecordFollowUpVisit>
{
    public static RecordFollowUpVisit Example { get; } = new(6, new DateOnly(2020, 10, 1), "老人精神好，饮食正常。");
}

public static class RecordFollowUpVisitEndpoint
{
    public static Task<PlanHousehold> LoadAsync(Guid planId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        PlanHousehold.LoadAsync(planId, session, vault, token);

    public static ProblemDetails Validate(RecordFollowUpVisit command, CarePlan plan, PlanHousehold household, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var (since, what) = plan.LastFollowUpOn is { } last
            ? (last, "the last follow-up visit was made")
            : (plan.ActivatedOn ?? plan.DraftedOn, "the plan came into force");
        CarePlanRules.RequireDate(errors, "visitedOn", command.VisitedOn, now, since, what);
        errors.OptionalText("note", command.Note, 500);
        return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem(), household.Open(plan),
            CarePlanRules.InForce(plan, "follow-up visits are recorded"), household.MaySeal(command.Note));
    }

    /// <summary>
    /// Records a follow-up visit to a centre resident or a home-care household; the next is due after
    /// the interval of the plan's care (<c>Relief:CarePlans:FollowUpDays</c>).
    /// </summary>
    [WolverinePost("/api/care-plans/{planId}/follow-up-visits"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CareVisits)]
    public static (VisitSaved, Events) Post(RecordFollowUpVisit command, [WriteModel("planId")] CarePlan plan, PlanHousehold household,
        CarePlanSchedule schedule, DateTimeOffset now)
    {
        var visitId = Guid.CreateVersion7(now);
        var on = command.VisitedOn!.Value;
        return (new VisitSaved(plan.Id, visitId),
            [new FollowUpVisitRecorded(plan.Id, plan.HouseholdId, visitId, on, schedule.NextFollowUp(on, plan.Care), household.Seal(command.Note))]);
    }
}
