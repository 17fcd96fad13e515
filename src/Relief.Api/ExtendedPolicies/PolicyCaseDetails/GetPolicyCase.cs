using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// A policy case as lists show it: <c>ageDays</c> since it was opened and <c>daysInStage</c> as of today
/// (China time); <c>owningDepartments</c> may decide on it (the ownership table today).
/// </summary>
public sealed record PolicyCaseSummary(
    Guid Id,
    int Version,
    ExtendedPolicy Policy,
    Guid? CaregiverFamilyId,
    Guid? HouseholdId,
    string Township,
    CaseStage Stage,
    DateOnly StageSince,
    DateOnly OpenedOn,
    int AgeDays,
    int DaysInStage,
    DateOnly? DueOn,
    bool Overdue,
    IReadOnlyList<Department> OwningDepartments,
    GrantFacts? Facts)
{
    public static PolicyCaseSummary Of(PolicyCaseDetails c, OwnershipTable ownership, DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        return new PolicyCaseSummary(c.Id, c.Version, c.Policy, c.CaregiverFamilyId, c.HouseholdId, c.Township, c.Stage,
            c.StageSince, c.OpenedOn, today.DayNumber - c.OpenedOn.DayNumber, today.DayNumber - c.StageSince.DayNumber, c.DueOn,
            c.Overdue, PolicyCaseRules.OwnersOf(c.Policy, ownership), c.Facts);
    }
}

/// <summary>One policy case as the API shows it: the stored view, its note and reasons opened (<c>[erased]</c> once erased).</summary>
public sealed record PolicyCaseResponse(
    Guid Id,
    int Version,
    ExtendedPolicy Policy,
    Guid? CaregiverFamilyId,
    Guid? HouseholdId,
    string Township,
    DateOnly OpenedOn,
    Department OpenedBy,
    string? Note,
    CaseStage Stage,
    DateOnly StageSince,
    bool Open,
    string? OpenKey,
    EligibilityExceptionResponse? Exception,
    CaseStage Outcome,
    DateOnly? DueOn,
    bool Overdue,
    IReadOnlyList<Department> OwningDepartments,
    string? Reason,
    GrantFacts? Facts,
    DateOnly? GrantedOn,
    IReadOnlyList<CaseStageEntryResponse> History,
    DateTimeOffset LastChangedAt)
{
    public static PolicyCaseResponse Of(PolicyCaseDetails c, KeyChain keys) =>
        new(c.Id, c.Version, c.Policy, c.CaregiverFamilyId, c.HouseholdId, c.Township, c.OpenedOn, c.OpenedBy,
            keys.ShowText(SealedFields.Note, c.Note), c.Stage, c.StageSince, c.Open, c.OpenKey, EligibilityExceptionResponse.Of(c.Exception, keys), c.Outcome, c.DueOn, c.Overdue, c.OwningDepartments,
            keys.ShowText(SealedFields.Reason, c.Reason), c.Facts, c.GrantedOn,
            c.History.Select(h => new CaseStageEntryResponse(h.Stage, h.On, h.By, h.DueOn,
                keys.ShowText(CaseStageEntry.FieldOf(h.Stage), h.Reason), h.WentOverdue)).ToList(),
            c.LastChangedAt);
}

/// <summary>A stage the case entered, its reason (or closure note) opened.</summary>
public sealed record CaseStageEntryResponse(CaseStage Stage, DateOnly On, Department By, DateOnly? DueOn, string? Reason, bool WentOverdue);

public static class GetPolicyCaseEndpoint
{
    public static async Task<(PolicyCaseDetails?, KeyChain)> LoadAsync(Guid caseId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var policyCase = await session.LoadAsync<PolicyCaseDetails>(caseId, token);
        return (policyCase, policyCase is null
            ? KeyChain.Empty
            : await vault.Keys(session, policyCase.History.Select(h => h.Reason).Append(policyCase.Note).Append(policyCase.Reason)
                .Append(policyCase.Exception?.Reason), token));
    }

    public static ProblemDetails Validate(PolicyCaseDetails? policyCase, Guid caseId, Caller caller) =>
        policyCase is null
            ? PolicyCaseRules.NotFound(caseId)
            : PolicyCaseRules.Access(policyCase.Township, caller) ?? WolverineContinue.NoProblems;

    /// <summary>One policy case: its stage, each stage it went through (date, department, due date, overdue), its facts.</summary>
    [WolverineGet("/api/policy-cases/{caseId}"), Tags("Extended policies")]
    [Authorize(Scopes.HouseholdsRead)]
    public static PolicyCaseResponse Get(Guid caseId, PolicyCaseDetails policyCase, KeyChain keys) => PolicyCaseResponse.Of(policyCase, keys);
}

public static class ListFamilyPolicyCasesEndpoint
{
    public static async Task<(CaregiverFamilyDetails?, IReadOnlyList<PolicyCaseDetails>)> LoadAsync(Guid familyId,
        IQuerySession session, CancellationToken token) =>
        (await session.LoadAsync<CaregiverFamilyDetails>(familyId, token),
            await session.Query<PolicyCaseDetails>().Where(x => x.CaregiverFamilyId == familyId).OrderBy(x => x.Id).ToListAsync(token));

    public static ProblemDetails Validate(CaregiverFamilyDetails? family, Guid familyId, Caller caller) =>
        family is not { Registered: true }
            ? CaregiverFamilyRules.NotFound(familyId)
            : CaregiverFamilyRules.Access(family.Township, caller) ?? WolverineContinue.NoProblems;

    /// <summary>A caregiver family's measures of the extended policies, in the order opened.</summary>
    [WolverineGet("/api/caregiver-families/{familyId}/policy-cases"), Tags("Extended policies")]
    [Authorize(Scopes.HouseholdsRead)]
    public static IReadOnlyList<PolicyCaseSummary> Get(Guid familyId, IReadOnlyList<PolicyCaseDetails> cases,
        OwnershipTable ownership, DateTimeOffset now) =>
        cases.Select(c => PolicyCaseSummary.Of(c, ownership, now)).ToList();
}

public static class ListHouseholdPolicyCasesEndpoint
{
    public static async Task<(HouseholdDetails?, IReadOnlyList<PolicyCaseDetails>)> LoadAsync(Guid householdId,
        IQuerySession session, CancellationToken token) =>
        (await session.LoadAsync<HouseholdDetails>(householdId, token),
            await session.Query<PolicyCaseDetails>().Where(x => x.HouseholdId == householdId).OrderBy(x => x.Id).ToListAsync(token));

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller) =>
        household is null
            ? HouseholdRules.NotFound(householdId)
            : PolicyCaseRules.Access(household.Township, caller) ?? WolverineContinue.NoProblems;

    /// <summary>A household's own measures of the extended policies, in the order opened.</summary>
    [WolverineGet("/api/households/{householdId}/policy-cases"), Tags("Extended policies")]
    [Authorize(Scopes.HouseholdsRead)]
    public static IReadOnlyList<PolicyCaseSummary> Get(Guid householdId, IReadOnlyList<PolicyCaseDetails> cases,
        OwnershipTable ownership, DateTimeOffset now) =>
        cases.Select(c => PolicyCaseSummary.Of(c, ownership, now)).ToList();
}
