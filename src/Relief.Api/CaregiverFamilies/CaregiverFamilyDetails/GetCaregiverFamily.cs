using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Households;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Relief.Core.Protection;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// A caregiver family as the API shows it. The family-doctor counts are as of today (China time):
/// <c>membersWithFamilyDoctor</c> of <c>memberCount</c> people hold an agreement in force, and
/// <c>familyDoctorCovered</c> says whether all do.
/// </summary>
public sealed record CaregiverFamilyResponse(
    Guid Id,
    int Version,
    string Township,
    string TownshipName,
    string Village,
    string HeadName,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastChangedAt,
    PersonalDataView PersonalData,
    int MemberCount,
    int MembersWithFamilyDoctor,
    bool FamilyDoctorCovered,
    IReadOnlyList<FamilyMemberResponse> Members,
    FamilyNeeds? Needs,
    IReadOnlyList<FamilyCareAgreementResponse> Agreements);

/// <summary>A member, with its latest family-doctor agreement if it signed one.</summary>
public sealed record FamilyMemberResponse(
    Guid MemberId,
    string Name,
    Relation Relation,
    DateOnly? BirthDate,
    int? BirthYear,
    Gender? Gender,
    string? ResidentId,
    string? Phone,
    FamilyDoctorResponse? FamilyDoctor);

/// <summary>A family-doctor agreement; <c>inForce</c> as of today.</summary>
public sealed record FamilyDoctorResponse(
    Guid AgreementId,
    DateOnly SignedOn,
    string DoctorOrTeam,
    string? Ceremony,
    DateOnly? EndsOn,
    DateOnly? EndedOn,
    string? EndReason,
    bool InForce);

/// <summary>A care agreement the family holds (<c>endedOn</c> absent) or held, as caregiver.</summary>
public sealed record FamilyCareAgreementResponse(Guid AgreementId, Guid HouseholdId, CareMode Mode, DateOnly SignedOn, DateOnly? EndedOn);

public static class GetCaregiverFamilyEndpoint
{
    public static async Task<(CaregiverFamilyDetails?, HouseholdProtector, IReadOnlyList<CareAgreementDetails>)> LoadAsync(
        Guid familyId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        (await session.LoadAsync<CaregiverFamilyDetails>(familyId, token),
            await vault.ForHousehold(session, familyId, token),
            await session.Query<CareAgreementDetails>().Where(a => a.Caregiver.CaregiverFamilyId == familyId)
                .OrderBy(a => a.SignedOn).ToListAsync(token));

    public static ProblemDetails Validate(CaregiverFamilyDetails? family, Guid familyId, Caller caller)
    {
        if (family is not { Registered: true }) return CaregiverFamilyRules.NotFound(familyId);
        return CaregiverFamilyRules.Access(family.Township, caller) ?? WolverineContinue.NoProblems;
    }

    /// <summary>
    /// A caregiver family (托养人家庭) with its members and their family-doctor agreements, its latest
    /// needs survey and the care agreements it holds. Resident IDs and phones are masked unless the
    /// caller holds <c>pii:read</c>; every unmasked read is recorded.
    /// </summary>
    [WolverineGet("/api/caregiver-families/{familyId}"), Tags("Caregiver families")]
    [Authorize(Scopes.HouseholdsRead)]
    public static (CaregiverFamilyResponse, IMartenOp) Get(
        Guid familyId, CaregiverFamilyDetails family, HouseholdProtector protector,
        IReadOnlyList<CareAgreementDetails> agreements, Caller caller,
        TownshipDirectory townships, HttpContext context, DateTimeOffset now)
    {
        var view = protector.IsErased ? PersonalDataView.Erased
            : caller.Has(Scopes.PiiRead) ? PersonalDataView.Revealed
            : PersonalDataView.Masked;

        var disclosure = PersonalDataDisclosure.RecordIf(view == PersonalDataView.Revealed, PersonalDataOwner.CaregiverFamily,
            familyId, caller, context, now);

        var today = ChinaTime.Today(now);
        return (new CaregiverFamilyResponse(family.Id, family.FamilyVersion, family.Township,
            townships.NameOf(family.Township), family.Village, family.CurrentHeadName, family.RegisteredAt,
            family.LastChangedAt, view, family.Members.Count, family.MembersWithFamilyDoctorOn(today),
            family.FamilyDoctorCoveredOn(today),
            family.Members.Select(m => Show(m, protector, view, today)).ToList(),
            family.Needs,
            agreements.Select(a => new FamilyCareAgreementResponse(a.Id, a.HouseholdId, a.Mode, a.SignedOn, a.EndedOn)).ToList()), disclosure);
    }

    private static FamilyMemberResponse Show(CaregiverFamilyMemberDetails details, HouseholdProtector protector,
        PersonalDataView view, DateOnly today)
    {
        var member = details.Member;
        var residentId = protector.Reveal(MemberFields.ResidentId, member.ResidentId);
        var phone = protector.Reveal(MemberFields.Phone, member.Phone);
        if (view == PersonalDataView.Masked)
        {
            residentId = residentId is null ? null : PersonalDataMask.ResidentId(residentId);
            phone = phone is null ? null : PersonalDataMask.Phone(phone);
        }

        var doctor = details.FamilyDoctor is { } d
            ? new FamilyDoctorResponse(d.AgreementId, d.SignedOn, d.DoctorOrTeam, d.Ceremony, d.EndsOn, d.EndedOn,
                d.EndReason, d.InForceOn(today))
            : null;
        // The mask's rule (PersonalDataMask): a masked view shows the birth year only, ID or not,
        // since the caller may have seen the ID masked elsewhere (a history, an earlier version).
        var birthDate = view == PersonalDataView.Masked ? null : member.BirthDate;
        return new FamilyMemberResponse(details.MemberId, member.Name, member.Relation, birthDate, member.BirthDate?.Year,
            member.Gender, residentId, phone, doctor);
    }
}
