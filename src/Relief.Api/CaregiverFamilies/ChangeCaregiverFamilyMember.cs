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
    public static async Task<DataProtector> LoadAsync(Guid memberId, PersonalDataVault vault, IQuerySession session,
        CancellationToken token) => vault.ForPerson(memberId, await session.LoadAsync<PersonDataKey>(memberId, token));

    public static ProblemDetails Validate(ChangeCaregiverFamilyMember command, CaregiverFamily family, Guid memberId,
        Caller caller, DataProtector person, PersonalDataVault vault, DateTimeOffset now) =>
        CaregiverFamilyRules.First(
            CaregiverFamilyRules.Access(family, caller),
            CaregiverFamilyRules.MemberExists(family, memberId),
            CaregiverFamilyRules.NotErased(family, memberId, person),
            CaregiverFamilyRules.ValidateMember(command.Member, family, memberId, vault, now));

    [WolverinePut("/api/caregiver-families/{familyId}/members/{memberId}"), Tags("Caregiver families")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CaregiverFamilies)]
    public static (FamilyMemberSaved, Events) Put(
        ChangeCaregiverFamilyMember command, [WriteModel("familyId")] CaregiverFamily family, Guid memberId,
        DataProtector person, PersonalDataVault vault, DateTimeOffset now)
    {
        var record = command.Member!.ToRecord(person, vault, ChinaTime.Today(now));
        return (new FamilyMemberSaved(family.Id, memberId, family.Version + 1),
            [new CaregiverFamilyMemberChanged(family.Id, memberId, record)]);
    }
}
