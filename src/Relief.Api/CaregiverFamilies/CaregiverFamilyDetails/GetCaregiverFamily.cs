using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Households;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
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
    FamilyNeedsResponse? Needs,
    IReadOnlyList<FamilyCareAgreementResponse> Agreements);

/// <summary>A member, with its latest family-doctor agreement if it signed one.</summary>
public sealed record FamilyMemberResponse(
    Guid MemberId,
    PersonalDataView PersonalData,
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
    /// <summary>The family, its key, its members' keys and its agreements in one round trip.</summary>
    public static async Task<(CaregiverFamilyDetails?, KeyChain, IReadOnlyList<CareAgreementDetails>)> LoadAsync(
        Guid familyId, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var batch = session.CreateBatchQuery();
        var familyQuery = batch.Load<CaregiverFamilyDetails>(familyId);
        var keyQuery = batch.Load<HouseholdDataKey>(familyId);
        var peopleQuery = batch.Query<PersonDataKey>().Where(k => k.HolderId == familyId).ToList();
        var agreementsQuery = batch.Query<CareAgreementDetails>().Where(a => a.Caregiver.CaregiverFamilyId == familyId)
            .OrderBy(a => a.SignedOn).ToList();
        await batch.Execute(token);
        var family = await familyQuery;
        return (family, vault.Chain([familyId], (await keyQuery) is { } key ? [key] : [],
            family?.PeopleNamed ?? [], await peopleQuery), await agreementsQuery);
    }

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
        Guid familyId, CaregiverFamilyDetails family, KeyChain keys,
        IReadOnlyList<CareAgreementDetails> agreements, Caller caller,
        TownshipDirectory townships, HttpContext context, DateTimeOffset now)
    {
        var view = GetHouseholdEndpoint.ViewFor(keys.Record(familyId), caller);
        var today = ChinaTime.Today(now);
        var members = family.Members.Select(m => Show(m, keys, caller.Has(Scopes.PiiRead), today)).ToList();
        var disclosure = PersonalDataDisclosure.RecordIf(members.Any(m => m.PersonalData == PersonalDataView.Revealed),
            PersonalDataOwner.CaregiverFamily, familyId, caller, context, now);

        return (new CaregiverFamilyResponse(family.Id, family.FamilyVersion, family.Township,
            townships.NameOf(family.Township), family.Village, family.CurrentHeadName(keys), family.RegisteredAt,
            family.LastChangedAt, view, family.Members.Count, family.MembersWithFamilyDoctorOn(today),
            family.FamilyDoctorCoveredOn(today),
            members,
            FamilyNeedsResponse.Of(family.Needs, keys),
            agreements.Select(a => new FamilyCareAgreementResponse(a.Id, a.HouseholdId, a.Mode, a.SignedOn, a.EndedOn)).ToList()), disclosure);
    }

    /// <summary>A member opened with its own key, then revealed or masked by the one rule (<see cref="PersonalDataMask"/>).</summary>
    private static FamilyMemberResponse Show(CaregiverFamilyMemberDetails details, KeyChain keys, bool reveal, DateOnly today)
    {
        var member = details.Member;
        var doctor = details.FamilyDoctor is { } d
            ? new FamilyDoctorResponse(d.AgreementId, d.SignedOn, d.DoctorOrTeam, d.Ceremony, d.EndsOn, d.EndedOn,
                keys.ShowText(SealedFields.Reason, d.EndReason), d.InForceOn(today))
            : null;
        var personal = keys.Open<FamilyMemberPersonalData>(MemberFields.Personal, member.Personal);
        var view = reveal ? PersonalDataView.Revealed : PersonalDataView.Masked;
        if (personal is null)
        {
            return new FamilyMemberResponse(details.MemberId, PersonalDataView.Erased, PersonalDataMask.Erased,
                member.Relation, null, null, member.Gender, null, null, doctor);
        }

        var masked = view == PersonalDataView.Masked;
        return new FamilyMemberResponse(details.MemberId, view, personal.Name, member.Relation,
            masked ? null : personal.BirthDate, personal.BirthDate?.Year, member.Gender,
            personal.ResidentId is { } id && masked ? PersonalDataMask.ResidentId(id) : personal.ResidentId,
            personal.Phone is { } phone && masked ? PersonalDataMask.Phone(phone) : personal.Phone, doctor);
    }
}
