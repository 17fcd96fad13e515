using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareAgreements;

public static class EraseCaregiverPersonalDataEndpoint
{
    public static ProblemDetails Validate(ErasePersonalData command, CareAgreement agreement, Caller caller) =>
        AgreementRules.Access(agreement, caller)
        ?? CaregiverSealedHere(agreement)
        ?? ErasureRules.Check(command, agreement.CaregiverErased, "The caregiver's");

    /// <summary>
    /// 404 when the agreement names no caregiver by name; 409 when the name is sealed under a
    /// caregiver-family member's key (that person is erased at the family's member route, which
    /// erases the name here too) or was recorded in clear before names were sealed (there is no key
    /// to forget: it is re-sealed only by recording the agreement again).
    /// </summary>
    private static ProblemDetails? CaregiverSealedHere(CareAgreement agreement)
    {
        if (agreement.Caregiver is not { Name: { } name } caregiver)
            return Problems.NotFound("No caregiver name.", $"Agreement {agreement.Id} names its caregiver by no name.");
        if (name.IsLegacyPlaintext)
        {
            return Problems.Conflict(ProblemTypes.Conflict, "The caregiver's name was recorded in clear.",
                "It was recorded before names were sealed, under no key that could be forgotten; record the agreement again to seal it.");
        }

        return caregiver.IsFamilyMember
            ? Problems.Conflict(ProblemTypes.Conflict, "The caregiver is a member of a caregiver family.",
                $"Erase them at /api/caregiver-families/{caregiver.CaregiverFamilyId}/members/{caregiver.PersonId}/personal-data/erasure: " +
                "their name on this agreement is sealed under the same key.")
            : null;
    }

    /// <summary>
    /// Erases the caregiver of an agreement (PIPL art. 47): deletes the caregiver's own key, so that
    /// their name on the agreement and on every warning that copied it is unreadable for good. The
    /// agreement stays as it was, its caregiver shown as <c>[erased]</c>; every figure is unchanged.
    /// </summary>
    [WolverinePost("/api/care-agreements/{agreementId}/caregiver/personal-data/erasure"), Tags("Care agreements")]
    [Authorize(Scopes.Admin), Authorize(Owns.PersonalDataErasure)]
    public static (AgreementSaved, Events, IMartenOp) Post(
        ErasePersonalData command, [WriteModel("agreementId")] CareAgreement agreement, DateTimeOffset now) =>
        (new AgreementSaved(agreement.Id),
            [new CareAgreementCaregiverPersonalDataErased(agreement.Id, agreement.HouseholdId, command.Reason!.Trim(), now)],
            MartenOps.Delete<PersonDataKey>(agreement.Caregiver!.PersonId!.Value));
}
