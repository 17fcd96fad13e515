using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;

namespace Relief.Api.ExtendedPolicies;

/// <summary>The rules every change to a policy case obeys: lifecycle, ownership, township binding, dates.</summary>
public static class PolicyCaseRules
{
    /// <summary>The six policies recorded as cases (training and family doctors have their own modules).</summary>
    public static IReadOnlyList<ExtendedPolicy> CasePolicies { get; } =
    [
        ExtendedPolicy.PublicWelfarePost, ExtendedPolicy.Entrepreneurship, ExtendedPolicy.FinancialLoan,
        ExtendedPolicy.MedicalAssistance, ExtendedPolicy.SocialAssistance, ExtendedPolicy.CharityAssistance,
    ];

    /// <summary>The stages in which a case waits for a department: what "open" means.</summary>
    public static IReadOnlyList<CaseStage> OpenStages { get; } =
        [CaseStage.NeedIdentified, CaseStage.Applied, CaseStage.Eligible, CaseStage.UnderVerification];

    public static bool IsOpen(CaseStage stage) => OpenStages.Contains(stage);

    /// <summary>The ownership policy (<see cref="Owns"/>) of a case policy.</summary>
    public static string OwnsPolicyOf(ExtendedPolicy policy) => policy switch
    {
        ExtendedPolicy.PublicWelfarePost => Owns.PublicWelfarePost,
        ExtendedPolicy.Entrepreneurship => Owns.Entrepreneurship,
        ExtendedPolicy.FinancialLoan => Owns.FinancialLoan,
        ExtendedPolicy.MedicalAssistance => Owns.MedicalAssistance,
        ExtendedPolicy.SocialAssistance => Owns.SocialAssistance,
        ExtendedPolicy.CharityAssistance => Owns.CharityAssistance,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not a policy recorded as a case."),
    };

    /// <summary>The departments the configured ownership table names for the policy.</summary>
    public static IReadOnlyList<Department> OwnersOf(ExtendedPolicy policy, OwnershipTable ownership) =>
        ownership.OwnersOf(Owns.FactOf(OwnsPolicyOf(policy)));

    /// <summary>403 unless the caller's department owns the policy: decisions are the owner's.</summary>
    public static ProblemDetails? MustOwn(ExtendedPolicy policy, Caller caller, OwnershipTable ownership)
    {
        var owners = OwnersOf(policy, ownership);
        return owners.Contains(caller.Department)
            ? null
            : Problems.Forbidden($"Only {string.Join(", ", owners)} may record decisions on {policy} cases; this key is {caller.Department}.");
    }

    /// <summary>
    /// 403 unless the caller may open or move a case along before the decision: an owner, the poverty
    /// office or a township.
    /// </summary>
    public static ProblemDetails? MayOpen(ExtendedPolicy policy, Caller caller, OwnershipTable ownership)
    {
        var owners = OwnersOf(policy, ownership);
        return owners.Contains(caller.Department) || caller.Department is Department.PovertyAlleviationOffice or Department.Township
            ? null
            : Problems.Forbidden(
                $"{policy} cases are opened by {string.Join(", ", owners)}, the poverty office or a township; this key is {caller.Department}.");
    }

    /// <summary>
    /// 403 when another member of the department that took the case on touches it: a loan decided by
    /// one bank is not decided, verified, granted, refused or closed by another.
    /// </summary>
    public static ProblemDetails? MayHandle(PolicyCase policyCase, Caller caller) =>
        policyCase.HandledBy is { } handler && handler.Department == caller.Department && handler.Organisation != caller.Organisation
            ? Problems.Forbidden($"Policy case {policyCase.Id} is handled by {handler.Department} '{handler.Organisation}'; " +
                                 $"this key is {caller.Department} '{caller.Organisation}'.")
            : null;

    /// <summary>A township key touches only its own township's cases.</summary>
    public static ProblemDetails? Access(string township, Caller caller) =>
        TownshipScope.Access(township, caller, "case");

    /// <summary>
    /// 409 <see cref="ProblemTypes.CaseAlreadyOpen"/> when the family or household already has an open
    /// case of the policy: one open case per family and policy. (A unique index on
    /// <see cref="PolicyCaseDetails.OpenKey"/> refuses the loser of two concurrent openings.)
    /// </summary>
    public static ProblemDetails? NoOtherOpen(PolicyCaseDetails? open) =>
        open is null
            ? null
            : Problems.Conflict(ProblemTypes.CaseAlreadyOpen, "A case of this policy is already open.",
                $"Policy case {open.Id} ({open.Policy}) is {open.Stage} since {open.StageSince:yyyy-MM-dd}; " +
                "move it along or close it before opening another.");

    /// <summary>404: there is no such case.</summary>
    public static ProblemDetails NotFound(Guid caseId) => Problems.NotFound("No such policy case.", $"There is no policy case {caseId}.");

    /// <summary><c>{caseId}</c> names a policy case on every write route.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<PolicyCase>("caseId", NotFound).WithInlineView<PolicyCaseDetails>();

    /// <summary>409 unless the case may move from its stage to <paramref name="to"/>.</summary>
    public static ProblemDetails? MayMove(PolicyCase policyCase, CaseStage to)
    {
        var from = policyCase.Stage;
        var loan = policyCase.Policy == ExtendedPolicy.FinancialLoan;
        var allowed = to switch
        {
            CaseStage.Applied => from == CaseStage.NeedIdentified,
            CaseStage.Eligible or CaseStage.Ineligible => loan && from == CaseStage.Applied,
            CaseStage.UnderVerification => loan ? from == CaseStage.Eligible : from == CaseStage.Applied,
            CaseStage.Granted => from == CaseStage.UnderVerification,
            // A loan's intent is refused by deciding it ineligible, so the funnel counts it there.
            CaseStage.Rejected => IsOpen(from) && !(loan && from == CaseStage.Applied),
            CaseStage.Closed => from != CaseStage.Closed,
            _ => false,
        };
        if (allowed) return null;

        var hint = (to, loan, from) switch
        {
            (CaseStage.Eligible or CaseStage.Ineligible, false, _) => "Only a loan has an eligibility decision.",
            (CaseStage.UnderVerification, true, CaseStage.Applied) => "Decide the loan's eligibility first.",
            (CaseStage.Rejected, true, CaseStage.Applied) => "Decide the loan ineligible, with the reason.",
            _ => "A case only moves forward.",
        };
        return Problems.Conflict(ProblemTypes.Conflict, $"The case cannot go from {from} to {to}.",
            $"Policy case {policyCase.Id} ({policyCase.Policy}) is {from} since {policyCase.StageSince:yyyy-MM-dd}. {hint}");
    }

    /// <summary>A business date: required, not after today (China time), not before the case entered its stage.</summary>
    public static void RequireDate(FieldErrors errors, string field, DateOnly? date, DateTimeOffset now, PolicyCase? policyCase = null)
    {
        if (date is null) errors.Add(field, "is required.");
        else if (date > ChinaTime.Today(now)) errors.Add(field, "must not be in the future.");
        else if (policyCase is not null && date < policyCase.StageSince)
            errors.Add(field, $"must not be before {policyCase.StageSince:yyyy-MM-dd}, when the case became {policyCase.Stage}.");
    }
}
