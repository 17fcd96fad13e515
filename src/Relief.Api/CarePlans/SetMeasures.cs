using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CarePlans;

/// <summary>A measure as sent: what it links to, by id.</summary>
public sealed record PlanMeasureInput(MeasureKind? Kind, Guid? Id);

/// <summary>
/// Set the plan's measures (the whole list, replacing the one before): the policy cases, enrolments
/// and placements that carry it out, of the household or of a caregiver family holding one of its agreements.
/// </summary>
public sealed record SetCarePlanMeasures([property: JsonRequired] int Version, DateOnly? SetOn, [property: Required] IReadOnlyList<PlanMeasureInput>? Measures) : IHasExample<SetCarePlanMeasures>
{
    public static SetCarePlanMeasures Example { get; } = new(5, new DateOnly(2020, 10, 1), [new PlanMeasureInput(MeasureKind.PolicyCase, ExampleIds.Case)]);
}

/// <summary>The household (or caregiver family) each named measure belongs to, and the families caring for the household.</summary>
public sealed record MeasureOwners(IReadOnlyDictionary<(MeasureKind, Guid), (Guid? Household, Guid? Family)> Found, IReadOnlySet<Guid> Families);

public static class SetCarePlanMeasuresEndpoint
{
    public static async Task<MeasureOwners> LoadAsync(Guid planId, SetCarePlanMeasures command, IQuerySession session, CancellationToken token)
    {
        var given = command.Measures?.Where(m => m is { Kind: not null, Id: not null }).ToList() ?? [];
        Guid[] Ids(MeasureKind kind) => given.Where(m => m.Kind == kind).Select(m => m.Id!.Value).Distinct().ToArray();
        var found = new Dictionary<(MeasureKind, Guid), (Guid?, Guid?)>();
        if (Ids(MeasureKind.PolicyCase) is { Length: > 0 } cases)
            foreach (var c in await session.LoadManyAsync<PolicyCaseDetails>(token, cases)) found[(MeasureKind.PolicyCase, c.Id)] = (c.HouseholdId, c.CaregiverFamilyId);
        if (Ids(MeasureKind.Enrolment) is { Length: > 0 } enrolments)
            foreach (var e in await session.LoadManyAsync<Traineeship>(token, enrolments)) found[(MeasureKind.Enrolment, e.Id)] = (null, e.CaregiverFamilyId);
        if (Ids(MeasureKind.Placement) is { Length: > 0 } placements)
            foreach (var p in await session.LoadManyAsync<JobPlacementDetails>(token, placements)) found[(MeasureKind.Placement, p.Id)] = (null, p.CaregiverFamilyId);

        var householdId = (await session.LoadAsync<PlanDetails.CarePlanDetails>(planId, token))?.HouseholdId;
        var families = householdId is { } id
            ? (await session.Query<CareAgreementDetails>().Where(a => a.HouseholdId == id).ToListAsync(token))
                .Select(a => a.Caregiver.CaregiverFamilyId).OfType<Guid>().ToHashSet()
            : [];
        return new MeasureOwners(found, families);
    }

    public static ProblemDetails Validate(SetCarePlanMeasures command, CarePlan plan, MeasureOwners owners, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CarePlanRules.RequireDate(errors, "setOn", command.SetOn, now, plan.DraftedOn, "the plan was drafted");
        if (command.Measures is null) errors.Add("measures", "is required (an empty list removes every measure).");
        var measures = command.Measures ?? [];
        for (var i = 0; i < measures.Count; i++)
        {
            var field = $"measures[{i}]";
            if (measures[i] is not { } measure) errors.Add(field, "is required.");
            else if (measure.Kind is not { } kind) errors.Add($"{field}.kind", "is required.");
            else if (measure.Id is not { } id) errors.Add($"{field}.id", "is required.");
            else if (!owners.Found.TryGetValue((kind, id), out var owner)) errors.Add($"{field}.id", $"names no {kind}.");
            else if (owner.Household != plan.HouseholdId && (owner.Family is not { } family || !owners.Families.Contains(family)))
                errors.Add($"{field}.id", $"is a {kind} of neither the household nor a caregiver family holding one of its agreements.");
            else if (measures.Take(i).Any(m => m?.Kind == kind && m.Id == id)) errors.Add($"{field}.id", "is given twice.");
        }

        return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem());
    }

    /// <summary>Records the plan's measures.</summary>
    [WolverinePost("/api/care-plans/{planId}/measures"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CarePlans)]
    public static (PlanSaved, Events) Post(SetCarePlanMeasures command, [WriteModel("planId")] CarePlan plan) =>
        (new PlanSaved(plan.Id),
        [
            new CarePlanMeasuresSet(plan.Id, plan.HouseholdId, command.SetOn!.Value,
                command.Measures!.Select(m => new PlanMeasure(m!.Kind!.Value, m.Id!.Value)).ToList()),
        ]);
}
