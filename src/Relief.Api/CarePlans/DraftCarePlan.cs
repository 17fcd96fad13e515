using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CarePlans.PlanDetails;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.CarePlans;

/// <summary>Draft the household's care plan (一户一策): one per household, living, changed by its events.</summary>
public sealed record DraftCarePlan([property: Required] DateOnly? DraftedOn) : IHasExample<DraftCarePlan>
{
    public static DraftCarePlan Example { get; } = new(new DateOnly(2020, 10, 1));
}

/// <summary>What drafting is decided on: the household and the plan it already has, if any.</summary>
public sealed record PlanDrafting(HouseholdDetails? Household, CarePlanDetails? Existing);

/// <summary>A plan write answered: the plan and its version.</summary>
public sealed record PlanSaved(Guid PlanId) : IStreamVersioned<PlanSaved>, IHasExample<PlanSaved>
{
    public static PlanSaved Example { get; } = new(ExampleIds.Plan) { Version = 3 };

    public int Version { get; init; }

    public PlanSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(PlanId) };
}

public static class DraftCarePlanEndpoint
{
    public static async Task<PlanDrafting> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        new(await session.LoadAsync<HouseholdDetails>(householdId, token),
            await session.Query<CarePlanDetails>().Where(p => p.HouseholdId == householdId).FirstOrDefaultAsync(token));

    public static ProblemDetails Validate(DraftCarePlan command, Guid householdId, PlanDrafting drafting, Caller caller, DateTimeOffset now)
    {
        if (drafting.Household is not { } household) return HouseholdRules.NotFound(householdId);
        if (TownshipScope.Access(household.Township, caller, "household") is { } forbidden) return forbidden;
        var errors = new FieldErrors();
        if (command.DraftedOn is null) errors.Add("draftedOn", "is required.");
        else if (command.DraftedOn > ChinaTime.Today(now)) errors.Add("draftedOn", "must not be in the future.");
        if (errors.Any) return errors.ToProblem();
        if (household.Closure is not null) return HouseholdRules.Closed(householdId);
        return drafting.Existing is { } plan
            ? Problems.Conflict(ProblemTypes.Conflict, "The household has a care plan.",
                $"Household {householdId} has plan {plan.Id}; a household has one living plan: change it at /api/care-plans/{plan.Id}.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>Starts the household's plan as a draft; it comes into force when activated.</summary>
    [WolverinePost("/api/households/{householdId}/care-plan"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CarePlans)]
    public static (Created, IStartStream) Post(DraftCarePlan command, Guid householdId, PlanDrafting drafting, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        return (new Created(id, $"/api/care-plans/{id}"),
            MartenOps.StartStream<CarePlan>(id, new CarePlanDrafted(id, householdId, drafting.Household!.Township, command.DraftedOn!.Value)));
    }
}
