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
public sealed record ChangeCaregiverFamilyMember([property: JsonRequired] int Version, FamilyMemberInput? Member);

public static class ChangeCaregiverFamilyMemberEndpoint
{
    public static Task<HouseholdProtector> LoadAsync(Guid familyId, PersonalDataVault vault, IQuerySession session,
        CancellationToken token) => vault.ForHousehold(session, familyId, token);

    public static ProblemDetails Validate(ChangeCaregiverFamilyMember command, CaregiverFamily family, Guid memberId,
        Caller caller, HouseholdProtector protector, PersonalDataVault vault, DateTimeOffset now) =>
        CaregiverFamilyRules.First(
            CaregiverFamilyRules.Access(family, caller),
            CaregiverFamilyRules.MemberExists(family, memberId),
            CaregiverFamilyRules.ValidateMember(command.Member, family, memberId, protector, vault, now));

    [WolverinePut("/api/caregiver-families/{familyId}/members/{memberId}"), Tags("Caregiver families")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CaregiverFamilies)]
    public static (FamilyMemberSaved, Events) Put(
        ChangeCaregiverFamilyMember command, [WriteModel("familyId")] CaregiverFamily family, Guid memberId,
        HouseholdProtector protector, PersonalDataVault vault, DateTimeOffset now)
    {
        var record = command.Member!.ToRecord(protector, vault, ChinaTime.Today(now));
        return (new FamilyMemberSaved(family.Id, memberId, family.Version + 1),
            [new CaregiverFamilyMemberChanged(family.Id, memberId, record)]);
    }
}
