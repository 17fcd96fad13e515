using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CaregiverFamilies;

public static class EraseCaregiverFamilyPersonalDataEndpoint
{
    public static ProblemDetails Validate(ErasePersonalData command, CaregiverFamily family, Caller caller) =>
        CaregiverFamilyRules.Access(family, caller)
        ?? ErasureRules.Check(command, family.PersonalDataErased, "The caregiver family's");

    /// <summary>
    /// Erases a whole caregiver family (PIPL art. 47), by crypto-shredding: deletes the family's data
    /// key (its notes and reasons) and the key of every person it holds (members, and members removed
    /// from it), and records why. What was sealed under those keys goes with them wherever it was
    /// copied: the head's name, the members' records, their names on enrolments and placements, and
    /// the caregiver's name on an agreement that made the family from its head. The event log is not
    /// touched, so the chain verifies and every count of the weekly report stays.
    /// </summary>
    [WolverinePost("/api/caregiver-families/{familyId}/personal-data/erasure"), Tags("Caregiver families")]
    [Authorize(Scopes.Admin), Authorize(Owns.PersonalDataErasure)]
    public static (CaregiverFamilySaved, Events, IMartenOp, IMartenOp) Post(
        ErasePersonalData command, [WriteModel("familyId")] CaregiverFamily family, DateTimeOffset now) =>
        (new CaregiverFamilySaved(family.Id),
            [new CaregiverFamilyPersonalDataErased(family.Id, command.Reason!.Trim(), now)],
            MartenOps.Delete<HouseholdDataKey>(family.Id),
            MartenOps.DeleteWhere<PersonDataKey>(k => k.HolderId == family.Id));
}
