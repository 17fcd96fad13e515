using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies.Deadlines;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// Open a case of one extended policy for a caregiver family (<c>caregiverFamilyId</c>) or a
/// household (<c>householdId</c>), exactly one of them: the need identified (<c>NeedIdentified</c>) or
/// the application made (<c>Applied</c>; for a loan, the intent recorded), on <c>OpenedOn</c>.
/// A family's case needs a kinship, neighbour or assigned-helper agreement in force on <c>OpenedOn</c>
/// (<see cref="EligibilityChain"/>), or an <c>Exception</c> with its reason.
/// </summary>
public sealed record OpenPolicyCase(
    [property: Required] ExtendedPolicy? Policy,
    Guid? CaregiverFamilyId,
    Guid? HouseholdId,
    [property: Required] CaseStage? Stage,
    DateOnly? OpenedOn,
    [property: MaxLength(500)] string? Note,
    EligibilityExceptionInput? Exception = null) : IHasExample<OpenPolicyCase>
{
    public static OpenPolicyCase Example { get; } = new(ExtendedPolicy.PublicWelfarePost, ExampleIds.Family, null, CaseStage.Applied, new DateOnly(2020, 10, 1), "希望就近安排公益岗位。");
}

/// <summary>
/// What opening a case is decided on: the family or the household, the agreements the family holds
/// as caregiver, and the open case of the same policy it already has, if any.
/// </summary>
public sealed record CaseOpening(
    CaregiverFamilyDetails? Family,
    HouseholdDetails? Household,
    IReadOnlyList<CareAgreementDetails> Agreements,
    PolicyCaseDetails? OpenCase);

public static class OpenPolicyCaseEndpoint
{
    /// <summary>
    /// What the decision needs, and the key of the family or household named (it seals the note), in
    /// one round trip: the family or household, the family's agreements, the open case of the same
    /// policy and the key go in one batched query (the agreements are asked for whether or not the
    /// family turns out to be registered, and kept only when it is).
    /// </summary>
    public static async Task<(CaseOpening, DataProtector?)> LoadAsync(OpenPolicyCase command, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var batch = session.CreateBatchQuery();
        var family = command.CaregiverFamilyId is { } familyId ? batch.Load<CaregiverFamilyDetails>(familyId) : null;
        var household = command.HouseholdId is { } householdId ? batch.Load<HouseholdDetails>(householdId) : null;
        var agreements = command.CaregiverFamilyId is { } holder
            ? batch.Query<CareAgreementDetails>().Where(a => a.Caregiver.CaregiverFamilyId == holder).ToList()
            : null;
        // The subject as named: a case found under an unknown id answers nothing, since the 404 comes first.
        var open = command.Policy is { } policy && (command.CaregiverFamilyId ?? command.HouseholdId) is { } subject
            ? batch.Query<PolicyCaseDetails>()
                .Where(c => c.Policy == policy && c.Open && (c.CaregiverFamilyId == subject || c.HouseholdId == subject))
                .FirstOrDefault()
            : null;
        var recordId = command.CaregiverFamilyId ?? command.HouseholdId;
        var key = recordId is { } id ? batch.Load<HouseholdDataKey>(id) : null;
        await batch.Execute(token);

        var familyFound = family is null ? null : await family;
        var householdFound = household is null ? null : await household;
        var opening = new CaseOpening(familyFound, householdFound,
            familyFound is { Registered: true } && agreements is not null ? await agreements : [],
            open is null ? null : await open);
        return (opening, recordId is { } record ? vault.ForHousehold(record, key is null ? null : await key) : null);
    }

    /// <summary>
    /// Training and family doctors are not cases (they have their own routes); the family or household
    /// must exist (404) and the household be open (409); the caller must own the policy or be the poverty
    /// office or a township (403), and a township key opens cases in its own township only. One open
    /// case per family (or household) and policy (409 <c>case-already-open</c>); a family's case only
    /// inside the eligibility chain (409 <c>no-qualifying-agreement</c>) or by exception.
    /// </summary>
    public static ProblemDetails Validate(OpenPolicyCase command, CaseOpening opening, Caller caller, OwnershipTable ownership,
        DateTimeOffset now)
    {
        var (family, household) = (opening.Family, opening.Household);
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
        EligibilityChain.ValidateException(errors, command.Exception);
        if (command.Exception is not null && command.CaregiverFamilyId is null)
            errors.Add("exception", "is for a caregiver family's case; a household's own case needs none.");
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
            PolicyCaseRules.Access(township, caller),
            PolicyCaseRules.NoOtherOpen(opening.OpenCase),
            family is null
                ? null
                : EligibilityChain.Check(family.Id, opening.Agreements, command.OpenedOn!.Value, command.Exception, caller,
                    ownership, $"A {command.Policy} case"));
    }

    /// <summary>Opens a policy case (八延伸); its service time starts now if its stage has one.</summary>
    [WolverinePost("/api/policy-cases"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (Created, IStartStream, OutgoingMessages) Post(OpenPolicyCase command, CaseOpening opening, DataProtector? record,
        Caller caller, ServiceTimes serviceTimes, DateTimeOffset now)
    {
        var (family, household) = (opening.Family, opening.Household);
        var caseId = Guid.CreateVersion7(now);
        var stage = command.Stage!.Value;
        var openedOn = command.OpenedOn!.Value;
        var dueOn = serviceTimes.DueOn(stage, openedOn);
        var opened = new PolicyCaseOpened(caseId, command.Policy!.Value, family?.Id, family is null ? household!.Id : null,
            family?.Township ?? household!.Township, stage, openedOn, caller.Department,
            record!.SealText(SealedFields.Note, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim()), dueOn);
        var exception = family is null
            ? null
            : EligibilityChain.Granted(command.Exception, caseId, EligibilitySubject.PolicyCase, family.Id, family.Township, openedOn, caller,
                () => record!);
        object[] events = exception is null ? [opened] : [opened, exception];
        return (new Created(caseId, $"/api/policy-cases/{caseId}"), MartenOps.StartStream<PolicyCase>(caseId, events),
            CaseDeadlines.For(caseId, stage, dueOn, now));
    }
}
