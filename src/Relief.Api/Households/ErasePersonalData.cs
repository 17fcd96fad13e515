using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>
/// Forget a household's key and the keys of the people recorded in it (one member's, at the member's
/// route), so that their personal data is unreadable for good.
/// </summary>
public sealed record ErasePersonalData([property: JsonRequired] int Version, string? Reason) : IHasExample<ErasePersonalData>
{
    public static ErasePersonalData Example { get; } = new(5, "The person asked for erasure under PIPL art. 47 (request no. 2020-031).");
}

/// <summary>What a change to a household answers.</summary>
public sealed record HouseholdSaved(Guid HouseholdId) : IStreamVersioned<HouseholdSaved>, IHasExample<HouseholdSaved>
{
    public static HouseholdSaved Example { get; } = new(ExampleIds.Household) { Version = 4 };

    public int Version { get; init; }

    public HouseholdSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(HouseholdId) };
}

/// <summary>What every erasure request obeys, whoever it erases: a reason, and once only.</summary>
public static class ErasureRules
{
    public static ProblemDetails Check(ErasePersonalData command, bool erasedBefore, string whose)
    {
        var errors = new FieldErrors();
        errors.RequireText("reason", command.Reason, 200);
        if (errors.Any) return errors.ToProblem();
        return erasedBefore
            ? Problems.Conflict(ProblemTypes.Conflict, "Already erased.", $"{whose} personal data was erased before.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>
    /// 409 for a member recorded before per-person sealing: their record is legacy plaintext in the
    /// event log, under no key of their own, so no erasure can reach it (forgetting nothing would only
    /// claim it was erased).
    /// </summary>
    public static ProblemDetails? NotLegacy(Core.Protection.ProtectedValue personal, Guid memberId) =>
        personal.IsLegacyPlaintext
            ? Problems.Conflict(ProblemTypes.Conflict, "Recorded in clear before per-person sealing.",
                $"Member {memberId} was recorded before personal data was sealed per person: the record is in the event log " +
                "as recorded, under no key, and no erasure can reach it (docs/security.md §4).")
            : null;
}

public static class ErasePersonalDataEndpoint
{
    public static ProblemDetails Validate(ErasePersonalData command, Household household, Caller caller) =>
        HouseholdRules.Access(household, caller)
        ?? ErasureRules.Check(command, household.PersonalDataErased, "The household's");

    /// <summary>
    /// Crypto-shredding: deletes the household's data key and the key of every person it holds
    /// (members, and members removed from it; not those who moved to another household, whose keys
    /// that household holds now), and records why. The event log is not touched: what it holds of
    /// them was only ever ciphertext under those keys. Their resident-index rows go with them.
    /// </summary>
    [WolverinePost("/api/households/{householdId}/personal-data/erasure"), Tags("Households")]
    [Authorize(Scopes.Admin), Authorize(Owns.PersonalDataErasure)]
    public static (HouseholdSaved, Events, IMartenOp, IMartenOp, IMartenOp) Post(
        ErasePersonalData command, [WriteModel] Household household, DateTimeOffset now) =>
        (new HouseholdSaved(household.Id),
            [new HouseholdPersonalDataErased(household.Id, command.Reason!.Trim(), now)],
            MartenOps.Delete<HouseholdDataKey>(household.Id),
            MartenOps.DeleteWhere<PersonDataKey>(k => k.HolderId == household.Id),
            ResidentIndexOps.ForgetHousehold(household.Id));
}

public static class EraseMemberPersonalDataEndpoint
{
    public static ProblemDetails Validate(ErasePersonalData command, Household household, Guid memberId, Caller caller) =>
        HouseholdRules.Access(household, caller)
        ?? HouseholdRules.MemberExists(household, memberId)
        ?? ErasureRules.NotLegacy(household.Members[memberId].Personal, memberId)
        ?? ErasureRules.Check(command, household.ErasedMembers.Contains(memberId), "The member's");

    /// <summary>
    /// Erases one person (PIPL art. 47): deletes the member's own key, so that everything personal
    /// recorded of them, in this household or any other they lived in, is unreadable for good, and
    /// their resident-index row. The member stays in the household's record, without a name.
    /// </summary>
    [WolverinePost("/api/households/{householdId}/members/{memberId}/personal-data/erasure"), Tags("Households")]
    [Authorize(Scopes.Admin), Authorize(Owns.PersonalDataErasure)]
    public static (MemberSaved, Events, IMartenOp, IMartenOp) Post(
        ErasePersonalData command, [WriteModel] Household household, Guid memberId, DateTimeOffset now) =>
        (new MemberSaved(household.Id, memberId),
            [new HouseholdMemberPersonalDataErased(household.Id, memberId, command.Reason!.Trim(), now)],
            MartenOps.Delete<PersonDataKey>(memberId), ResidentIndexOps.Forget(memberId));
}
