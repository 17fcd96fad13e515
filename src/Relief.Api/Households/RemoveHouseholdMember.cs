using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>Take a person off a household's record, saying why (moved, deceased, recorded in error …).</summary>
public sealed record RemoveHouseholdMember([property: JsonRequired] int Version, [property: Required, MaxLength(200)] string? Reason) : IHasExample<RemoveHouseholdMember>
{
    public static RemoveHouseholdMember Example { get; } = new(4, "外嫁，户口迁出。");
}

public static class RemoveHouseholdMemberEndpoint
{
    /// <summary>The household's key, which seals the reason (an erased one once forgotten).</summary>
    public static Task<DataProtector> LoadAsync(Guid householdId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        vault.ForHousehold(session, householdId, token);

    public static ProblemDetails Validate(RemoveHouseholdMember command, Household household, Guid memberId, Caller caller)
    {
        var errors = new FieldErrors();
        errors.RequireText("reason", command.Reason, 200);
        return Problems.FirstOf(
            HouseholdRules.Access(household, caller),
            HouseholdRules.MemberExists(household, memberId),
            errors.ToProblem());
    }

    [WolverinePost("/api/households/{householdId}/members/{memberId}/removal"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (MemberSaved, Events, IMartenOp) Post(RemoveHouseholdMember command, [WriteModel] Household household,
        Guid memberId, DataProtector record) =>
        (new MemberSaved(household.Id, memberId),
            [new HouseholdMemberRemoved(household.Id, memberId, record.SealText(SealedFields.Reason, command.Reason!.Trim()))], ResidentIndexOps.Forget(memberId));
}
