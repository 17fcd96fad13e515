using Relief.Core.Protection;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Supervision;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies;

/// <summary>A member's family-doctor agreement (家庭医生), in force today or not.</summary>
public sealed record MemberFamilyDoctor(Guid MemberId, string Name, FamilyDoctorAgreementResponse? Agreement, bool InForce);

/// <summary>
/// Everything the eight extended policies (八延伸) gave a caregiver family, in one read: the needs
/// survey, the policy cases, the family doctors, training and job placements, and recognition.
/// </summary>
public sealed record FamilyMeasures(
    Guid FamilyId,
    string HeadName,
    FamilyNeedsResponse? Needs,
    IReadOnlyList<PolicyCaseSummary> PolicyCases,
    IReadOnlyList<MemberFamilyDoctor> FamilyDoctors,
    FamilyTrainingAndEmployment TrainingAndEmployment,
    FamilyRecognition Recognition);

/// <summary>A household's own policy cases, and the measures of the caregiver families that care for it.</summary>
public sealed record HouseholdMeasures(
    Guid HouseholdId,
    IReadOnlyList<PolicyCaseSummary> PolicyCases,
    IReadOnlyList<FamilyMeasures> CaregiverFamilies);

/// <summary>Reads the measures of one caregiver family from the modules' own documents.</summary>
public static class Measures
{
    public static async Task<FamilyMeasures> OfFamily(CaregiverFamilyDetails family, OwnershipTable ownership, IQuerySession session,
        PersonalDataVault vault, Caller caller, DateTimeOffset now, CancellationToken token)
    {
        var today = ChinaTime.Today(now);
        var keys = await vault.Keys(session, [family.Id], family.PeopleNamed.ToList(), token);
        var cases = await session.Query<PolicyCaseDetails>().Where(c => c.CaregiverFamilyId == family.Id)
            .OrderBy(c => c.Id).ToListAsync(token);
        return new FamilyMeasures(
            family.Id,
            family.CurrentHeadName(keys),
            FamilyNeedsResponse.Of(family.Needs, keys),
            cases.Select(c => PolicyCaseSummary.Of(c, ownership, now)).ToList(),
            family.Members.Select(m => new MemberFamilyDoctor(m.MemberId,
                keys.Open<FamilyMemberPersonalData>(MemberFields.Personal, m.Member.Personal)?.Name ?? PersonalDataMask.Erased,
                FamilyDoctorAgreementResponse.Of(m.FamilyDoctor, keys),
                m.FamilyDoctor?.InForceOn(today) == true)).ToList(),
            await GetFamilyTrainingAndEmploymentEndpoint.Get(family.Id, null, session, vault, caller, token),
            await GetFamilyRecognitionEndpoint.Get(family.Id, session, vault, token));
    }
}

public static class GetFamilyMeasuresEndpoint
{
    public static Task<CaregiverFamilyDetails?> LoadAsync(Guid familyId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<CaregiverFamilyDetails>(familyId, token);

    public static ProblemDetails Validate(CaregiverFamilyDetails? family, Guid familyId, Caller caller) =>
        family is not { Registered: true } ? CaregiverFamilyRules.NotFound(familyId)
        : TownshipScope.Access(family.Township, caller) ?? WolverineContinue.NoProblems;

    /// <summary>A caregiver family's measures (八延伸): needs, cases, family doctors, training and employment, recognition.</summary>
    [WolverineGet("/api/caregiver-families/{familyId}/measures"), Tags("Extended policies")]
    [Authorize(Scopes.HouseholdsRead)]
    public static Task<FamilyMeasures> Get(Guid familyId, CaregiverFamilyDetails family, OwnershipTable ownership,
        IQuerySession session, PersonalDataVault vault, Caller caller, DateTimeOffset now, CancellationToken token) =>
        Measures.OfFamily(family, ownership, session, vault, caller, now, token);
}

public static class GetHouseholdMeasuresEndpoint
{
    public static Task<HouseholdDetails?> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<HouseholdDetails>(householdId, token);

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller) =>
        HouseholdRules.Readable(household, householdId, caller) ?? WolverineContinue.NoProblems;

    /// <summary>
    /// A household's measures: its own policy cases, and the measures of every caregiver family that
    /// holds (or held) one of its care agreements.
    /// </summary>
    [WolverineGet("/api/households/{householdId}/measures"), Tags("Extended policies")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<HouseholdMeasures> Get(Guid householdId, OwnershipTable ownership, IQuerySession session,
        PersonalDataVault vault, Caller caller, DateTimeOffset now, CancellationToken token)
    {
        var cases = await session.Query<PolicyCaseDetails>().Where(c => c.HouseholdId == householdId)
            .OrderBy(c => c.Id).ToListAsync(token);
        var familyIds = (await session.Query<CareAgreementDetails>().Where(a => a.HouseholdId == householdId).ToListAsync(token))
            .Select(a => a.Caregiver.CaregiverFamilyId).OfType<Guid>().Distinct().ToArray();
        var families = familyIds.Length == 0 ? [] : await session.LoadManyAsync<CaregiverFamilyDetails>(token, familyIds);

        var measures = new List<FamilyMeasures>();
        foreach (var family in families.OrderBy(f => f.Id))
        {
            measures.Add(await Measures.OfFamily(family, ownership, session, vault, caller, now, token));
        }

        return new HouseholdMeasures(householdId, cases.Select(c => PolicyCaseSummary.Of(c, ownership, now)).ToList(), measures);
    }
}
