using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CarePlans;

public static class EraseCadrePersonalDataEndpoint
{
    public static ProblemDetails Validate(ErasePersonalData command, CarePlan plan, Guid cadreId, Caller caller) =>
        Problems.FirstOf(CarePlanRules.Access(plan, caller),
            plan.Cadres.Contains(cadreId) ? null : Problems.NotFound("No such cadre.", $"Plan {plan.Id} never had cadre {cadreId}."),
            ErasureRules.Check(command, plan.ErasedCadres.Contains(cadreId), "The cadre's"));

    /// <summary>
    /// Erases a responsible cadre of the plan (PIPL art. 47): deletes the cadre's own key, so that their
    /// name and phone are unreadable for good; the plan shows them as <c>[erased]</c> and needs a new
    /// cadre before it can be activated again. Every figure is unchanged.
    /// </summary>
    [WolverinePost("/api/care-plans/{planId}/cadres/{cadreId}/personal-data/erasure"), Tags("Care plans")]
    [Authorize(Scopes.Admin), Authorize(Owns.PersonalDataErasure)]
    public static (PlanSaved, Events, IMartenOp) Post(ErasePersonalData command, [WriteModel("planId")] CarePlan plan, Guid cadreId,
        DateTimeOffset now) =>
        (new PlanSaved(plan.Id),
            [new ResponsibleCadrePersonalDataErased(plan.Id, plan.HouseholdId, cadreId, command.Reason!.Trim(), now)],
            MartenOps.Delete<PersonDataKey>(cadreId));
}
