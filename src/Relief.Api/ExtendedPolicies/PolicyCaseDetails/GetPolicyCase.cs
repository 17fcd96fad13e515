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
/// <param name="Id">The case.</param>
/// <param name="Version">The case stream's version (what the next move sends).</param>
/// <param name="Policy">Which of the eight extended policies (八延伸) the case is about.</param>
/// <param name="CaregiverFamilyId">The caregiver family the case is for (null for a household's own case).</param>
/// <param name="HouseholdId">The household the case is for (null for a caregiver family's case).</param>
/// <param name="Township">The township code of the family or household.</param>
/// <param name="OpenedOn">The business date the case was opened.</param>
/// <param name="OpenedBy">The department that opened it.</param>
/// <param name="Note">The note given at opening, opened with the family's or household's key (<c>[erased]</c> once erased).</param>
/// <param name="Stage">The current stage.</param>
/// <param name="StageSince">The business date the current stage was entered.</param>
/// <param name="Open">Waiting for a department (need identified, applied, eligible or under verification).</param>
/// <param name="OpenKey">While the case is open, its family (or household) and policy: one open case per family and policy.</param>
/// <param name="Exception">Set when the case was opened by exception to the eligibility chain: by whom, when and why.</param>
/// <param name="Outcome">The last stage before closure (the current stage while not closed): what the funnel counts.</param>
/// <param name="DueOn">The last day of the current stage's service time, if it has one.</param>
/// <param name="Overdue">The current stage ran past <c>dueOn</c>; <c>owningDepartments</c> then say whose it is.</param>
/// <param name="OwningDepartments">The departments that may decide on the case (the ownership table today).</param>
/// <param name="Reason">The refusal's reason (rejected or ineligible), opened as the note is.</param>
/// <param name="Facts">The facts of the grant, once granted.</param>
/// <param name="GrantedOn">The business date of the grant, once granted.</param>
/// <param name="History">Each stage the case entered, in order, with its date, department, due date and reason.</param>
/// <param name="LastChangedAt">When the case last changed (recording time).</param>
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
/// <param name="Stage">The stage entered.</param>
/// <param name="On">The business date it was entered.</param>
/// <param name="By">The department that moved the case.</param>
/// <param name="DueOn">The last day of the stage's service time, if it has one.</param>
/// <param name="Reason">A refusal's reason or a closure's note, opened with the family's or household's key (<c>[erased]</c> once erased).</param>
/// <param name="WentOverdue">The stage ran past its due date.</param>
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
