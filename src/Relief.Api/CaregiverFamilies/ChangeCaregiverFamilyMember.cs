using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CaregiverFamilies;

/// <summary>Replace a member's details with the ones given (the whole member, not a patch).</summary>
public sealed record ChangeCaregiverFamilyMember([property: JsonRequired] int Version, FamilyMemberInput? Member) : IHasExample<ChangeCaregiverFamilyMember>
{
    public static ChangeCaregiverFamilyMember Example { get; } = new(2, FamilyMemberInput.Example with { Phone = "13900139001" });
}

public static class ChangeCaregiverFamilyMemberEndpoint
{
    /// <summary>The family's members' keys: the member's own to seal with, the others' to find a repeated resident ID.</summary>
    public static Task<KeyChain> LoadAsync(CaregiverFamily family, Guid memberId, PersonalDataVault vault,
        IQuerySession session, CancellationToken token) =>
        vault.Keys(session, [], [.. family.Members.Keys.Append(memberId).Distinct()], token);

    public static ProblemDetails Validate(ChangeCaregiverFamilyMember command, CaregiverFamily family, Guid memberId,
        Caller caller, KeyChain keys, DateTimeOffset now) =>
        CaregiverFamilyRules.First(
            CaregiverFamilyRules.Access(family, caller),
            CaregiverFamilyRules.MemberExists(family, memberId),
            CaregiverFamilyRules.NotErased(family, memberId, keys.Person(memberId)),
            CaregiverFamilyRules.ValidateMember(command.Member, family, memberId, keys, now));

    [WolverinePut("/api/caregiver-families/{familyId}/members/{memberId}"), Tags("Caregiver families")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CaregiverFamilies)]
    public static (FamilyMemberSaved, Events) Put(
        ChangeCaregiverFamilyMember command, [WriteModel("familyId")] CaregiverFamily family, Guid memberId,
        KeyChain keys, PersonalDataVault vault, DateTimeOffset now)
    {
        var record = command.Member!.ToRecord(keys.Person(memberId), vault, ChinaTime.Today(now));
        return (new FamilyMemberSaved(family.Id, memberId),
            [new CaregiverFamilyMemberChanged(family.Id, memberId, record)]);
    }
}
