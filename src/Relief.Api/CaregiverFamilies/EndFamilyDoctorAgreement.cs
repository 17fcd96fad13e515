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

namespace Relief.Api.CaregiverFamilies;

/// <summary>End a member's family-doctor agreement early; <c>EndedOn</c> is its last day.</summary>
public sealed record EndFamilyDoctorAgreement([property: JsonRequired] int Version, DateOnly? EndedOn, [property: Required, MaxLength(200)] string? Reason) : IHasExample<EndFamilyDoctorAgreement>
{
    public static EndFamilyDoctorAgreement Example { get; } = new(3, new DateOnly(2020, 10, 1), "签约医生调离，改签其他团队。");
}

public static class EndFamilyDoctorAgreementEndpoint
{
    /// <summary>The family's key, which seals the reason.</summary>
    public static Task<DataProtector> LoadAsync(Guid familyId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        vault.ForHousehold(session, familyId, token);

    public static ProblemDetails Validate(EndFamilyDoctorAgreement command, CaregiverFamily family, Guid memberId,
        Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CaregiverFamilyRules.RequirePastDate(errors, "endedOn", command.EndedOn, now);
        errors.RequireText("reason", command.Reason, 200);
        var held = family.FamilyDoctor.GetValueOrDefault(memberId);
        if (held is not null && command.EndedOn < held.SignedOn) errors.Add("endedOn", "must not be before the agreement was signed.");

        return CaregiverFamilyRules.First(
            CaregiverFamilyRules.Access(family, caller),
            CaregiverFamilyRules.MemberExists(family, memberId),
            errors.ToProblem(),
            held is null
                ? Problems.Conflict(ProblemTypes.Conflict, "The member has no family-doctor agreement to end.",
                    "There is no family-doctor agreement of this member that has not ended.")
                : null);
    }

    [WolverinePost("/api/caregiver-families/{familyId}/members/{memberId}/family-doctor/ending"), Tags("Caregiver families")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.FamilyDoctor)]
    public static (FamilyDoctorAgreementSaved, Events) Post(
        EndFamilyDoctorAgreement command, [WriteModel("familyId")] CaregiverFamily family, Guid memberId, DataProtector record)
    {
        var agreementId = family.FamilyDoctor[memberId].AgreementId;
        return (new FamilyDoctorAgreementSaved(family.Id, memberId, agreementId),
            [new FamilyDoctorAgreementEnded(family.Id, memberId, agreementId, command.EndedOn!.Value,
                record.SealText(SealedFields.Reason, command.Reason!.Trim()))]);
    }
}
