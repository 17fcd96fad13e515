using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// Take a person off a family's record, saying why. The head cannot be removed (409): make another
/// member head first (change the head's relation, then the new head's). A removed member no longer
/// counts, family-doctor agreement included.
/// </summary>
public sealed record RemoveCaregiverFamilyMember([property: JsonRequired] int Version, [property: Required, MaxLength(200)] string? Reason) : IHasExample<RemoveCaregiverFamilyMember>
{
    public static RemoveCaregiverFamilyMember Example { get; } = new(3, "外出务工，不再共同生活。");
}

public static class RemoveCaregiverFamilyMemberEndpoint
{
    /// <summary>The family's key, which seals the reason.</summary>
    public static Task<DataProtector> LoadAsync(Guid familyId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        vault.ForHousehold(session, familyId, token);

    public static ProblemDetails Validate(RemoveCaregiverFamilyMember command, CaregiverFamily family, Guid memberId,
        Caller caller)
    {
        var errors = new FieldErrors();
        errors.RequireText("reason", command.Reason, 200);
        return CaregiverFamilyRules.First(
            CaregiverFamilyRules.Access(family, caller),
            CaregiverFamilyRules.MemberExists(family, memberId),
            errors.ToProblem(),
            family.Members.GetValueOrDefault(memberId)?.Relation == Relation.Head
                ? Problems.Conflict(ProblemTypes.Conflict, "The head cannot be removed.",
                    "A family keeps its head; make another member head first, then remove this one.")
                : null);
    }

    [WolverinePost("/api/caregiver-families/{familyId}/members/{memberId}/removal"), Tags("Caregiver families")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CaregiverFamilies)]
    public static (FamilyMemberSaved, Events) Post(
        RemoveCaregiverFamilyMember command, [WriteModel("familyId")] CaregiverFamily family, Guid memberId,
        DataProtector record) =>
        (new FamilyMemberSaved(family.Id, memberId),
            [new CaregiverFamilyMemberRemoved(family.Id, memberId, record.SealText(SealedFields.Reason, command.Reason!.Trim()))]);
}
