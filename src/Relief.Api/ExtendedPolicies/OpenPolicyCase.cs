using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies.Deadlines;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// Open a case of one extended policy for a caregiver family (<c>caregiverFamilyId</c>) or a
/// household (<c>householdId</c>), exactly one of them: the need identified (<c>NeedIdentified</c>) or
/// the application made (<c>Applied</c>; for a loan, the intent recorded), on <c>OpenedOn</c>.
/// </summary>
public sealed record OpenPolicyCase(
    ExtendedPolicy? Policy,
    Guid? CaregiverFamilyId,
    Guid? HouseholdId,
    CaseStage? Stage,
    DateOnly? OpenedOn,
    string? Note);

public static class OpenPolicyCaseEndpoint
{
    /// <summary>The family or household named, and its key (which seals the note).</summary>
    public static async Task<(CaregiverFamilyDetails?, HouseholdDetails?, DataProtector?)> LoadAsync(OpenPolicyCase command,
        IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        (command.CaregiverFamilyId is { } familyId ? await session.LoadAsync<CaregiverFamilyDetails>(familyId, token) : null,
            command.HouseholdId is { } householdId ? await session.LoadAsync<HouseholdDetails>(householdId, token) : null,
            (command.CaregiverFamilyId ?? command.HouseholdId) is { } recordId ? await vault.ForHousehold(session, recordId, token) : null);

    /// <summary>
    /// Training and family doctors are not cases (they have their own routes); the family or household
    /// must exist (404) and the household be open (409); the caller must own the policy or be the poverty
    /// office or a township (403), and a township key opens cases in its own township only.
    /// </summary>
    public static ProblemDetails Validate(OpenPolicyCase command, CaregiverFamilyDetails? family, HouseholdDetails? household,
        Caller caller, OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.Policy is null) errors.Add("policy", "is required.");
        else if (!PolicyCaseRules.CasePolicies.Contains(command.Policy.Value))
            errors.Add("policy", $"{command.Policy} is not recorded as a case; allowed: {string.Join(", ", PolicyCaseRules.CasePolicies)}.");
        if ((command.CaregiverFamilyId is null) == (command.HouseholdId is null))
            errors.Add(command.CaregiverFamilyId is null ? "caregiverFamilyId" : "householdId",
                "Name either the caregiver family or the household, not both and not neither.");
        if (command.Stage is null) errors.Add("stage", "is required.");
        else if (command.Stage is not (CaseStage.NeedIdentified or CaseStage.Applied))
            errors.Add("stage", "A case opens NeedIdentified or Applied.");
        PolicyCaseRules.RequireDate(errors, "openedOn", command.OpenedOn, now);
        errors.OptionalText("note", command.Note, 500);
        if (errors.Any) return errors.ToProblem();

        string township;
        if (command.CaregiverFamilyId is { } familyId)
        {
            if (family is not { Registered: true }) return CaregiverFamilyRules.NotFound(familyId);
            township = family.Township;
        }
        else
        {
            if (household is null) return HouseholdRules.NotFound(command.HouseholdId!.Value);
            if (household.Closure is not null)
                return Problems.Conflict(ProblemTypes.HouseholdClosed, "The household is closed.",
                    $"Household {household.Id} left the safety net on {household.Closure.ClosedOn:yyyy-MM-dd}; no case opens for it.");
            township = household.Township;
        }

        return Problems.FirstOf(
            PolicyCaseRules.MayOpen(command.Policy!.Value, caller, ownership),
            PolicyCaseRules.Access(township, caller));
    }

    /// <summary>Opens a policy case (八延伸); its service time starts now if its stage has one.</summary>
    [WolverinePost("/api/policy-cases"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (Created, IStartStream, OutgoingMessages) Post(OpenPolicyCase command, CaregiverFamilyDetails? family,
        HouseholdDetails? household, DataProtector? record, Caller caller, ServiceTimes serviceTimes, DateTimeOffset now)
    {
        var caseId = Guid.CreateVersion7(now);
        var stage = command.Stage!.Value;
        var openedOn = command.OpenedOn!.Value;
        var dueOn = serviceTimes.DueOn(stage, openedOn);
        var opened = new PolicyCaseOpened(caseId, command.Policy!.Value, family?.Id, family is null ? household!.Id : null,
            family?.Township ?? household!.Township, stage, openedOn, caller.Department,
            record!.SealText(SealedFields.Note, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim()), dueOn);
        return (new Created(caseId, 1, $"/api/policy-cases/{caseId}"), MartenOps.StartStream<PolicyCase>(caseId, opened),
            CaseDeadlines.For(caseId, stage, dueOn, now));
    }
}
