using Relief.Core.Protection;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Events;

namespace Relief.Api.ExtendedPolicies;

// The policy-case stream (八延伸): one measure of one extended policy for one caregiver family or
// one household, from the need identified to the grant or the refusal and the closure.

/// <summary>
/// Where a case stands. Open: <see cref="NeedIdentified"/>, <see cref="Applied"/> (for a loan: intent
/// recorded), <see cref="Eligible"/> (loans only: eligibility decided, verification not started yet),
/// <see cref="UnderVerification"/>. Decided: <see cref="Granted"/> (for assistance: delivered),
/// <see cref="Rejected"/>, <see cref="Ineligible"/> (loans only). <see cref="Closed"/> ends every case.
/// A case only moves forward.
/// </summary>
public enum CaseStage { NeedIdentified, Applied, Eligible, UnderVerification, Granted, Rejected, Ineligible, Closed }

/// <summary>The kinds of social assistance (社会救助).</summary>
public enum SocialAssistanceKind
{
    /// <summary>低保: the minimum living allowance.</summary>
    MinimumLivingAllowance,
    /// <summary>特困: extreme-poverty support.</summary>
    ExtremePovertySupport,
    /// <summary>临时救助: temporary aid.</summary>
    TemporaryAid,
}

/// <summary>
/// A case was opened for a caregiver family or a household, at <see cref="CaseStage.NeedIdentified"/>
/// or <see cref="CaseStage.Applied"/> (a loan's intent recorded). <c>DueOn</c> is the last day the
/// owning department has for the stage, when the stage has a service time.
/// </summary>
public sealed record PolicyCaseOpened(
    Guid CaseId,
    ExtendedPolicy Policy,
    Guid? CaregiverFamilyId,
    Guid? HouseholdId,
    string Township,
    CaseStage Stage,
    DateOnly OpenedOn,
    Department OpenedBy,
    ProtectedValue? Note,
    DateOnly? DueOn) : IHouseholdOrFamilyEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => OpenedOn;
}

/// <summary>The family or household applied (a loan: intent recorded) after the need was identified.</summary>
public sealed record PolicyApplied(Guid CaseId, DateOnly AppliedOn, Department RecordedBy, DateOnly? DueOn) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AppliedOn;
}

/// <summary>
/// A loan's eligibility was decided: eligible; verification comes next. <c>Organisation</c>, on this
/// and every later decision, is which member of the deciding department (which bank) decided.
/// </summary>
public sealed record LoanFoundEligible(Guid CaseId, DateOnly DecidedOn, Department DecidedBy, DateOnly? DueOn, string? Organisation = null) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => DecidedOn;
}

/// <summary>A loan's eligibility was decided: ineligible, with the reason (sealed under the key of the case's family or household).</summary>
public sealed record LoanFoundIneligible(Guid CaseId, DateOnly DecidedOn, Department DecidedBy, ProtectedValue Reason, string? Organisation = null) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => DecidedOn;
}

/// <summary>The owning department started verifying the case (逐户核实).</summary>
public sealed record VerificationStarted(Guid CaseId, DateOnly StartedOn, Department StartedBy, DateOnly? DueOn, string? Organisation = null) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => StartedOn;
}

/// <summary>The measure was granted (or, for assistance, delivered), with the policy's own facts.</summary>
public sealed record PolicyGranted(Guid CaseId, DateOnly GrantedOn, Department GrantedBy, GrantFacts Facts, string? Organisation = null) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => GrantedOn;
}

/// <summary>The owning department refused the measure, with the reason (sealed under the key of the case's family or household).</summary>
public sealed record PolicyCaseRejected(Guid CaseId, DateOnly RejectedOn, Department RejectedBy, ProtectedValue Reason, string? Organisation = null) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => RejectedOn;
}

/// <summary>
/// The case was closed: after its outcome, or withdrawn before it (then with a note why, sealed under
/// the key of the case's family or household).
/// </summary>
public sealed record PolicyCaseClosed(Guid CaseId, DateOnly ClosedOn, Department ClosedBy, ProtectedValue? Note, string? Organisation = null) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ClosedOn;
}

/// <summary>
/// The case stayed in <c>Stage</c> past its service time (<c>DueOn</c>, overdue from <c>DueAt</c>);
/// <c>OwningDepartments</c> are the departments that owned the decision then.
/// </summary>
public sealed record CaseBecameOverdue(
    Guid CaseId,
    CaseStage Stage,
    IReadOnlyList<Department> OwningDepartments,
    DateOnly DueOn,
    DateTimeOffset DueAt);

/// <summary>The policy's own facts of a grant: exactly the part for the case's policy is present.</summary>
public sealed record GrantFacts(PostFacts? Post, BusinessSupportFacts? Business, LoanFacts? Loan, AssistanceFacts? Assistance);

/// <summary>A public-welfare post (公益岗位): the post, the employer, the monthly pay and the term.</summary>
public sealed record PostFacts(string Post, string Employer, decimal MonthlyPay, DateOnly StartsOn, DateOnly? EndsOn);

/// <summary>Entrepreneurship support (创业发展): the project and the support given (and its value, if money).</summary>
public sealed record BusinessSupportFacts(string Project, string Support, decimal? Amount);

/// <summary>A granted loan (金融贷款): amount (yuan), bank and term in months.</summary>
public sealed record LoanFacts(decimal Amount, string Bank, int TermMonths);

/// <summary>
/// Assistance given (医疗 / 社会 / 慈善救助): its kind (for social assistance a
/// <see cref="SocialAssistanceKind"/> name), amount (yuan) and date.
/// </summary>
public sealed record AssistanceFacts(string Kind, decimal Amount, DateOnly GivenOn);

/// <summary>Which member of which department handles a case: e.g. Bank, <c>rural-commercial-bank</c>.</summary>
public sealed record CaseHandler(Department Department, string Organisation);

/// <summary>The write model of a policy case.</summary>
public sealed class PolicyCase
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public ExtendedPolicy Policy { get; set; }
    public string Township { get; set; } = "";
    public CaseStage Stage { get; set; }
    public DateOnly StageSince { get; set; }
    public DateOnly? DueOn { get; set; }

    /// <summary>The stage the case was found overdue in, if it was (at most once per stage).</summary>
    public CaseStage? OverdueStage { get; set; }

    /// <summary>
    /// The member of a department (the bank) that took the case on: the first to record a decision
    /// with an organisation. Another member of that department may not change the case.
    /// </summary>
    public CaseHandler? HandledBy { get; set; }

    /// <summary>The caregiver family or household the case is for: its key seals the case's notes and reasons.</summary>
    public Guid RecordId { get; set; }

    public static PolicyCase Create(PolicyCaseOpened e) => new()
    {
        Id = e.CaseId, Policy = e.Policy, RecordId = e.CaregiverFamilyId ?? e.HouseholdId ?? Guid.Empty, Township = e.Township, Stage = e.Stage, StageSince = e.OpenedOn, DueOn = e.DueOn,
    };

    public void Apply(PolicyApplied e) => Enter(CaseStage.Applied, e.AppliedOn, e.DueOn);

    public void Apply(LoanFoundEligible e) => Enter(CaseStage.Eligible, e.DecidedOn, e.DueOn, e.DecidedBy, e.Organisation);

    public void Apply(LoanFoundIneligible e) => Enter(CaseStage.Ineligible, e.DecidedOn, null, e.DecidedBy, e.Organisation);

    public void Apply(VerificationStarted e) => Enter(CaseStage.UnderVerification, e.StartedOn, e.DueOn, e.StartedBy, e.Organisation);

    public void Apply(PolicyGranted e) => Enter(CaseStage.Granted, e.GrantedOn, null, e.GrantedBy, e.Organisation);

    public void Apply(PolicyCaseRejected e) => Enter(CaseStage.Rejected, e.RejectedOn, null, e.RejectedBy, e.Organisation);

    public void Apply(PolicyCaseClosed e) => Enter(CaseStage.Closed, e.ClosedOn, null, e.ClosedBy, e.Organisation);

    public void Apply(CaseBecameOverdue e) => OverdueStage = e.Stage;

    private void Enter(CaseStage stage, DateOnly since, DateOnly? dueOn, Department? by = null, string? organisation = null)
    {
        Stage = stage;
        StageSince = since;
        DueOn = dueOn;
        if (HandledBy is null && by is { } department && organisation is not null) HandledBy = new CaseHandler(department, organisation);
    }
}
