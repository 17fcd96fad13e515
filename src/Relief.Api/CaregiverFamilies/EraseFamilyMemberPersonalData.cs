using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CaregiverFamilies;

public static class EraseFamilyMemberPersonalDataEndpoint
{
    public static ProblemDetails Validate(ErasePersonalData command, CaregiverFamily family, Guid memberId, Caller caller) =>
        CaregiverFamilyRules.Access(family, caller)
        ?? CaregiverFamilyRules.MemberExists(family, memberId)
        ?? ErasureRules.NotLegacy(family.Members[memberId].Personal, memberId)
        ?? ErasureRules.Check(command, family.ErasedMembers.Contains(memberId), "The member's");

    /// <summary>
    /// Erases one caregiver-family member (PIPL art. 47): deletes the member's own key, so that
    /// everything personal recorded of them (their record, their name on enrolments and placements)
    /// is unreadable for good. The member stays in the family's record, without a name.
    /// </summary>
    [WolverinePost("/api/caregiver-families/{familyId}/members/{memberId}/personal-data/erasure"), Tags("Caregiver families")]
    [Authorize(Scopes.Admin), Authorize(Owns.PersonalDataErasure)]
    public static (FamilyMemberSaved, Events, IMartenOp) Post(
        ErasePersonalData command, [WriteModel("familyId")] CaregiverFamily family, Guid memberId, DateTimeOffset now) =>
        (new FamilyMemberSaved(family.Id, memberId),
            [new CaregiverFamilyMemberPersonalDataErased(family.Id, memberId, command.Reason!.Trim(), now)],
            MartenOps.Delete<PersonDataKey>(memberId));
}
