using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>Forget a household's key, so that its resident IDs and phones are unreadable for good.</summary>
public sealed record ErasePersonalData([property: JsonRequired] int Version, string? Reason);

/// <summary>What a change to a household answers.</summary>
public sealed record HouseholdSaved(Guid HouseholdId, int Version);

public static class ErasePersonalDataEndpoint
{
    public static ProblemDetails Validate(ErasePersonalData command, Household household, Caller caller)
    {
        if (HouseholdRules.Access(household, caller) is { } forbidden) return forbidden;
        var errors = new FieldErrors();
        errors.RequireText("reason", command.Reason, 200);
        if (errors.Any) return errors.ToProblem();
        return household.PersonalDataErased
            ? Problems.Conflict(ProblemTypes.Conflict, "Already erased.", "The household's personal data was erased before.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Crypto-shredding: deletes the household's data key and records why. The event log is not
    /// touched; what it holds of resident IDs and phones was only ever ciphertext under that key.
    /// </summary>
    [WolverinePost("/api/households/{householdId}/personal-data/erasure"), Tags("Households")]
    [Authorize(Scopes.Admin), Authorize(Owns.PersonalDataErasure)]
    public static (HouseholdSaved, Events, IMartenOp) Post(
        ErasePersonalData command, [WriteModel] Household household, DateTimeOffset now) =>
        (new HouseholdSaved(household.Id, household.Version + 1),
            [new HouseholdPersonalDataErased(household.Id, command.Reason!.Trim(), now)],
            MartenOps.Delete<HouseholdDataKey>(household.Id));
}
