using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Identity;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CarePlans;

/// <summary>Name the plan's responsible cadre (帮扶责任人) from <c>assignedOn</c>: their name and phone; a new cadre replaces the one before.</summary>
public sealed record AssignResponsibleCadre([property: JsonRequired] int Version, [property: Required, MaxLength(100)] string? Name, string? Phone, DateOnly? AssignedOn) : IHasExample<AssignResponsibleCadre>
{
    public static AssignResponsibleCadre Example { get; } = new(4, "王建国", "13912345678", new DateOnly(2020, 10, 1));
}

/// <summary>A cadre assigned: the plan's version and the cadre's id (their person key).</summary>
public sealed record CadreSaved(Guid PlanId, Guid CadreId) : IStreamVersioned<CadreSaved>, IHasExample<CadreSaved>
{
    public static CadreSaved Example { get; } = new(ExampleIds.Plan, ExampleIds.Cadre) { Version = 5 };

    public int Version { get; init; }

    public CadreSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(PlanId) };
}

public static class AssignResponsibleCadreEndpoint
{
    public static ProblemDetails Validate(AssignResponsibleCadre command, CarePlan plan, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        errors.RequireText("name", command.Name, 100);
        if (PhoneNumber.Validate(command.Phone) is { IsValid: false } phone) errors.Add("phone", phone.Error!);
        CarePlanRules.RequireDate(errors, "assignedOn", command.AssignedOn, now, plan.DraftedOn, "the plan was drafted");
        return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem());
    }

    /// <summary>
    /// Records the cadre: a person key of their own is made, held by the plan, and their name and
    /// phone are sealed under it (docs/security.md §3); erasing the cadre forgets it.
    /// </summary>
    [WolverinePost("/api/care-plans/{planId}/cadre"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CarePlans)]
    public static (CadreSaved, Events, IMartenOp) Post(AssignResponsibleCadre command, [WriteModel("planId")] CarePlan plan,
        PersonalDataVault vault, DateTimeOffset now)
    {
        var cadreId = Guid.CreateVersion7(now);
        var (key, person) = vault.NewPerson(cadreId, plan.Id, now);
        return (new CadreSaved(plan.Id, cadreId),
        [
            new ResponsibleCadreAssigned(plan.Id, plan.HouseholdId, cadreId, person.Protect(PlanFields.Name, command.Name!.Trim()),
                person.Protect(PlanFields.Phone, PhoneNumber.Validate(command.Phone).Value!), command.AssignedOn!.Value),
        ], MartenOps.Store(key));
    }
}
