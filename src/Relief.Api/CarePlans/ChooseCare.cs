using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CarePlans;

/// <summary>One kind of care as sent: centralised care names its centre stay, a home mode its agreement.</summary>
public sealed record PlanCareInput(CareMode? Mode, Guid? AgreementId, Guid? CentreStayId);

/// <summary>
/// Choose the household's care (the whole choice, replacing the one before): a centre stay
/// (集中医养, by its stay id) and/or one or more home modes (each by the agreement that gives it).
/// </summary>
public sealed record ChooseCare([property: JsonRequired] int Version, DateOnly? ChosenOn, IReadOnlyList<PlanCareInput>? Care) : IHasExample<ChooseCare>
{
    public static ChooseCare Example { get; } = new(3, new DateOnly(2020, 10, 1), [new PlanCareInput(CareMode.NeighbourCare, ExampleIds.Agreement, null)]);
}

/// <summary>What choosing care is decided on: the household, and the agreements and stays the choice names.</summary>
public sealed record CareChoice(PlanHousehold Household, IReadOnlyDictionary<Guid, CareAgreementDetails> Agreements,
    IReadOnlyDictionary<Guid, CentreStay> Stays);

public static class ChooseCareEndpoint
{
    public static async Task<CareChoice> LoadAsync(Guid planId, ChooseCare command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var care = command.Care?.Where(c => c is not null).ToList() ?? [];
        var agreementIds = care.Select(c => c.AgreementId).OfType<Guid>().Distinct().ToArray();
        var stayIds = care.Select(c => c.CentreStayId).OfType<Guid>().Distinct().ToArray();
        return new CareChoice(await PlanHousehold.LoadAsync(planId, session, vault, token),
            agreementIds.Length == 0 ? new Dictionary<Guid, CareAgreementDetails>()
                : (await session.LoadManyAsync<CareAgreementDetails>(token, agreementIds)).ToDictionary(a => a.Id),
            stayIds.Length == 0 ? new Dictionary<Guid, CentreStay>()
                : (await session.LoadManyAsync<CentreStay>(token, stayIds)).ToDictionary(s => s.Id));
    }

    public static ProblemDetails Validate(ChooseCare command, CarePlan plan, CareChoice choice, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CarePlanRules.RequireDate(errors, "chosenOn", command.ChosenOn, now, plan.DraftedOn, "the plan was drafted");
        if (command.Care is not { Count: > 0 } care)
        {
            errors.Add("care", "is required: at least one kind of care.");
            return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem());
        }

        for (var i = 0; i < care.Count; i++)
        {
            var field = $"care[{i}]";
            if (care[i] is not { } given)
            {
                errors.Add(field, "is required.");
                continue;
            }

            if (given.Mode is not { } mode)
            {
                errors.Add($"{field}.mode", "is required.");
                continue;
            }

            if (mode == CareMode.CentralisedCare)
            {
                if (given.AgreementId is not null) errors.Add($"{field}.agreementId", "is not given for centralised care: it names its centre stay.");
                if (given.CentreStayId is not { } stayId) errors.Add($"{field}.centreStayId", "is required for centralised care.");
                else if (!choice.Stays.TryGetValue(stayId, out var stay)) errors.Add($"{field}.centreStayId", "names no stay in a care centre.");
                else if (stay.HouseholdId != plan.HouseholdId) errors.Add($"{field}.centreStayId", "is a stay of another household.");
                else if (care.Take(i).Any(c => c?.CentreStayId == stayId)) errors.Add($"{field}.centreStayId", "is given twice.");
            }
            else
            {
                if (given.CentreStayId is not null) errors.Add($"{field}.centreStayId", "is given only for centralised care.");
                if (given.AgreementId is not { } agreementId) errors.Add($"{field}.agreementId", $"is required for {mode}.");
                else if (!choice.Agreements.TryGetValue(agreementId, out var agreement)) errors.Add($"{field}.agreementId", "names no care agreement.");
                else if (agreement.HouseholdId != plan.HouseholdId) errors.Add($"{field}.agreementId", "is an agreement of another household.");
                else if (agreement.Mode != mode) errors.Add($"{field}.agreementId", $"is a {agreement.Mode} agreement, not {mode}.");
                else if (care.Take(i).Any(c => c?.AgreementId == agreementId)) errors.Add($"{field}.agreementId", "is given twice.");
            }
        }

        return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem(), choice.Household.Open(plan));
    }

    /// <summary>
    /// Records the care chosen for the household. In a plan in force, the next follow-up visit moves
    /// to the interval of the new care, counted from the last follow-up (or the activation).
    /// </summary>
    [WolverinePost("/api/care-plans/{planId}/care"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CarePlans)]
    public static (PlanSaved, Events) Post(ChooseCare command, [WriteModel("planId")] CarePlan plan, CarePlanSchedule schedule)
    {
        var care = command.Care!.Select(c => new PlanCare(c.Mode!.Value, c.AgreementId, c.CentreStayId)).ToList();
        var nextFollowUp = (plan.LastFollowUpOn ?? plan.ActivatedOn) is { } from ? schedule.NextFollowUp(from, care) : null;
        return (new PlanSaved(plan.Id),
            [new CareChosen(plan.Id, plan.HouseholdId, command.ChosenOn!.Value, care, nextFollowUp)]);
    }
}
