using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>Replace a member's details with the ones given (the whole member, not a patch).</summary>
public sealed record ChangeHouseholdMember([property: JsonRequired] int Version, MemberInput? Member) : IHasExample<ChangeHouseholdMember>
{
    public static ChangeHouseholdMember Example { get; } = new(3, MemberInput.Example with { Phone = "13800138001" });
}

public static class ChangeHouseholdMemberEndpoint
{
    public static async Task<(DataProtector, IReadOnlyList<ResidentConflict>)> LoadAsync(
        Guid memberId, ChangeHouseholdMember command, PersonalDataVault vault, IQuerySession session, Caller caller,
        HttpContext context, DateTimeOffset now, CancellationToken token) =>
        (vault.ForPerson(memberId, await session.LoadAsync<PersonDataKey>(memberId, token)),
            await ResidentRegistry.Conflicts([("member.residentId", command.Member?.ResidentId)], [memberId], vault, session,
                caller, context, now, token));

    public static ProblemDetails Validate(ChangeHouseholdMember command, Household household, Guid memberId,
        DataProtector person, IReadOnlyList<ResidentConflict> conflicts, Caller caller, PersonalDataVault vault,
        DateTimeOffset now) =>
        Problems.FirstOf(
            HouseholdRules.Access(household, caller),
            HouseholdRules.MemberExists(household, memberId),
            HouseholdRules.NotErased(household, memberId, person),
            HouseholdRules.ValidateMember(command.Member, household, memberId, vault, now),
            ResidentRegistry.Problem(conflicts, caller, household.Id));

    [WolverinePut("/api/households/{householdId}/members/{memberId}"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (MemberSaved, Events, IMartenOp) Put(
        ChangeHouseholdMember command, [WriteModel] Household household, Guid memberId, DataProtector person,
        PersonalDataVault vault, DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        var record = command.Member!.ToRecord(person, vault, today);
        return (new MemberSaved(household.Id, memberId),
            [new HouseholdMemberChanged(household.Id, memberId, record)],
            ResidentIndexOps.Record(memberId, household.Id, command.Member.ResidentIndex(vault, today)));
    }
}
