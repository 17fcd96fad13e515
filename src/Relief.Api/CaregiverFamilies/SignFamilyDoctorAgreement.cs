using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// Record a member's family-doctor agreement (家庭医生签约): signed on <c>SignedOn</c> with a doctor or
/// a team, at a township ceremony if any (<c>Ceremony</c>: where, or which), for a term to
/// <c>EndsOn</c> (left out: open-ended).
/// </summary>
public sealed record SignFamilyDoctorAgreement(
    [property: JsonRequired] int Version,
    DateOnly? SignedOn,
    [property: Required, MaxLength(100)] string? DoctorOrTeam,
    [property: MaxLength(200)] string? Ceremony,
    DateOnly? EndsOn) : IHasExample<SignFamilyDoctorAgreement>
{
    public static SignFamilyDoctorAgreement Example { get; } = new(2, new DateOnly(2020, 10, 1), "木城街道卫生院家庭医生团队一组", "木城街道家庭医生签约仪式", new DateOnly(2021, 9, 30));
}

/// <summary>What a change to a member's family-doctor agreement answers.</summary>
public sealed record FamilyDoctorAgreementSaved(Guid FamilyId, Guid MemberId, Guid AgreementId) : IStreamVersioned<FamilyDoctorAgreementSaved>, IHasExample<FamilyDoctorAgreementSaved>
{
    public static FamilyDoctorAgreementSaved Example { get; } = new(ExampleIds.Family, ExampleIds.FamilyMember, ExampleIds.FamilyDoctorAgreement) { Version = 3 };

    public int Version { get; init; }

    public FamilyDoctorAgreementSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(FamilyId) };
}

public static class SignFamilyDoctorAgreementEndpoint
{
    /// <summary>
    /// A member holds at most one family-doctor agreement at a time: one not ended and whose term
    /// reaches the new signing date is a 409. An agreement whose term ran out before it may be
    /// followed by a new one (a renewal).
    /// </summary>
    public static ProblemDetails Validate(SignFamilyDoctorAgreement command, CaregiverFamily family, Guid memberId,
        Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CaregiverFamilyRules.RequirePastDate(errors, "signedOn", command.SignedOn, now);
        errors.RequireText("doctorOrTeam", command.DoctorOrTeam, 100);
        errors.OptionalText("ceremony", command.Ceremony, 200);
        if (command.EndsOn is { } ends && command.SignedOn is { } signed && ends < signed)
            errors.Add("endsOn", "must not be before signedOn.");

        var held = family.FamilyDoctor.GetValueOrDefault(memberId);
        return CaregiverFamilyRules.First(
            CaregiverFamilyRules.Access(family, caller),
            CaregiverFamilyRules.MemberExists(family, memberId),
            errors.ToProblem(),
            held is not null && (held.EndsOn is null || held.EndsOn >= command.SignedOn)
                ? Problems.Conflict(ProblemTypes.Conflict, "The member already has a family-doctor agreement.",
                    $"Agreement {held.AgreementId} (signed {held.SignedOn:yyyy-MM-dd}) still runs; end it first.")
                : null);
    }

    [WolverinePost("/api/caregiver-families/{familyId}/members/{memberId}/family-doctor"), Tags("Caregiver families")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.FamilyDoctor)]
    public static (FamilyDoctorAgreementSaved, Events) Post(
        SignFamilyDoctorAgreement command, [WriteModel("familyId")] CaregiverFamily family, Guid memberId,
        DateTimeOffset now)
    {
        var agreementId = Guid.CreateVersion7(now);
        return (new FamilyDoctorAgreementSaved(family.Id, memberId, agreementId),
            [new FamilyDoctorAgreementSigned(family.Id, memberId, agreementId, command.SignedOn!.Value,
                command.DoctorOrTeam!.Trim(), string.IsNullOrWhiteSpace(command.Ceremony) ? null : command.Ceremony.Trim(),
                command.EndsOn)]);
    }
}
