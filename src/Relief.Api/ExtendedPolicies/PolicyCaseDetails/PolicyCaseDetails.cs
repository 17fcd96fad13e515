using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;
using JasperFx.Events;
using Marten.Events.Aggregation;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Audit.Corrections;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// The stored view of one policy case, updated inline with its events. Other modules may read it
/// (e.g. the weekly report): loans by stage (<see cref="Policy"/> = FinancialLoan, <see cref="Outcome"/>),
/// posts and entrepreneurship granted (<see cref="Facts"/>), assistance by kind
/// (<c>Facts.Assistance.Kind</c>), overdue cases (<see cref="Overdue"/>, <see cref="OwningDepartments"/>,
/// <see cref="DueOn"/>). Each stage entered is in <see cref="History"/> with its date and department.
/// </summary>
public sealed class PolicyCaseDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public ExtendedPolicy Policy { get; set; }
    public Guid? CaregiverFamilyId { get; set; }
    public Guid? HouseholdId { get; set; }
    public string Township { get; set; } = "";
    public DateOnly OpenedOn { get; set; }
    public Department OpenedBy { get; set; }

    /// <summary>The note given at opening, sealed under the key of the case's family or household (as in the event).</summary>
    public ProtectedValue? Note { get; set; }

    /// <summary>The current stage and the business date it was entered.</summary>
    public CaseStage Stage { get; set; }
    public DateOnly StageSince { get; set; }

    /// <summary>Waiting for a department (need identified, applied, eligible or under verification).</summary>
    public bool Open { get; set; }

    /// <summary>
    /// While the case is open, its family (or household) and policy: unique among the stored cases, so
    /// that of two concurrent openings of one family's case of one policy only one commits.
    /// </summary>
    public string? OpenKey { get; set; }

    /// <summary>Set when the case was opened by exception to the eligibility chain: by whom, when and why.</summary>
    public EligibilityException? Exception { get; set; }

    /// <summary>The last stage before closure (the current stage while not closed): what the funnel counts.</summary>
    public CaseStage Outcome { get; set; }

    /// <summary>The last day of the current stage's service time, if it has one.</summary>
    public DateOnly? DueOn { get; set; }

    /// <summary>The current stage ran past <see cref="DueOn"/>; <see cref="OwningDepartments"/> then say whose it is.</summary>
    public bool Overdue { get; set; }
    public List<Department> OwningDepartments { get; set; } = [];

    /// <summary>The refusal's reason (rejected or ineligible), sealed as in the event.</summary>
    public ProtectedValue? Reason { get; set; }

    /// <summary>The facts of the grant, once granted.</summary>
    public GrantFacts? Facts { get; set; }
    public DateOnly? GrantedOn { get; set; }

    public List<CaseStageEntry> History { get; set; } = [];
    public DateTimeOffset LastChangedAt { get; set; }
}

/// <summary>
/// A stage the case entered: when, by which department, with its due date and whether it went overdue.
/// <c>Reason</c> is sealed as in the event: a refusal's reason, or the note of a closure
/// (<see cref="FieldOf"/> names the field it was sealed as).
/// </summary>
public sealed record CaseStageEntry(CaseStage Stage, DateOnly On, Department By, DateOnly? DueOn, ProtectedValue? Reason, bool WentOverdue)
{
    /// <summary>The field a stage's reason was sealed as: a closure's note, or a refusal's reason.</summary>
    public static string FieldOf(CaseStage stage) => stage == CaseStage.Closed ? SealedFields.Note : SealedFields.Reason;
}

public sealed partial class PolicyCaseDetailsProjection : SingleStreamProjection<PolicyCaseDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, PolicyCaseDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static PolicyCaseDetails? Create(EntryVoided e) => null;

    public static PolicyCaseDetails Create(IEvent<PolicyCaseOpened> e)
    {
        var view = new PolicyCaseDetails
        {
            Id = e.Data.CaseId, Version = (int)e.Version, Policy = e.Data.Policy, CaregiverFamilyId = e.Data.CaregiverFamilyId,
            HouseholdId = e.Data.HouseholdId, Township = e.Data.Township, OpenedOn = e.Data.OpenedOn, OpenedBy = e.Data.OpenedBy,
            Note = e.Data.Note, LastChangedAt = e.Timestamp,
        };
        Enter(view, e, e.Data.Stage, e.Data.OpenedOn, e.Data.OpenedBy, e.Data.DueOn, null);
        return view;
    }

    /// <summary>An exception is recorded on the stream it covers; on a stream of another kind it makes no case.</summary>
    public static PolicyCaseDetails? Create(EligibilityExceptionGranted e) => null;

    public static void Apply(IEvent<EligibilityExceptionGranted> e, PolicyCaseDetails view)
    {
        view.Exception = EligibilityException.Of(e.Data);
        Touch(view, e);
    }

    public static void Apply(IEvent<PolicyApplied> e, PolicyCaseDetails view) =>
        Enter(view, e, CaseStage.Applied, e.Data.AppliedOn, e.Data.RecordedBy, e.Data.DueOn, null);

    public static void Apply(IEvent<LoanFoundEligible> e, PolicyCaseDetails view) =>
        Enter(view, e, CaseStage.Eligible, e.Data.DecidedOn, e.Data.DecidedBy, e.Data.DueOn, null);

    public static void Apply(IEvent<LoanFoundIneligible> e, PolicyCaseDetails view) =>
        Enter(view, e, CaseStage.Ineligible, e.Data.DecidedOn, e.Data.DecidedBy, null, e.Data.Reason);

    public static void Apply(IEvent<VerificationStarted> e, PolicyCaseDetails view) =>
        Enter(view, e, CaseStage.UnderVerification, e.Data.StartedOn, e.Data.StartedBy, e.Data.DueOn, null);

    public static void Apply(IEvent<PolicyGranted> e, PolicyCaseDetails view)
    {
        Enter(view, e, CaseStage.Granted, e.Data.GrantedOn, e.Data.GrantedBy, null, null);
        view.Facts = e.Data.Facts;
        view.GrantedOn = e.Data.GrantedOn;
    }

    public static void Apply(IEvent<PolicyCaseRejected> e, PolicyCaseDetails view) =>
        Enter(view, e, CaseStage.Rejected, e.Data.RejectedOn, e.Data.RejectedBy, null, e.Data.Reason);

    public static void Apply(IEvent<PolicyCaseClosed> e, PolicyCaseDetails view) =>
        Enter(view, e, CaseStage.Closed, e.Data.ClosedOn, e.Data.ClosedBy, null, e.Data.Note);

    public static void Apply(IEvent<CaseBecameOverdue> e, PolicyCaseDetails view)
    {
        if (view.Stage != e.Data.Stage)
            throw new InvalidOperationException($"Case {view.Id} is {view.Stage}; it cannot become overdue in {e.Data.Stage}.");
        view.Overdue = true;
        view.OwningDepartments = [.. e.Data.OwningDepartments];
        view.History[^1] = view.History[^1] with { WentOverdue = true };
        Touch(view, e);
    }

    private static void Enter(PolicyCaseDetails view, IEvent e, CaseStage stage, DateOnly on, Department by, DateOnly? dueOn,
        ProtectedValue? reason)
    {
        view.Stage = stage;
        view.StageSince = on;
        view.Open = PolicyCaseRules.IsOpen(stage);
        view.OpenKey = view.Open ? $"{view.CaregiverFamilyId ?? view.HouseholdId}:{view.Policy}" : null;
        if (stage != CaseStage.Closed) view.Outcome = stage;
        if (stage is CaseStage.Rejected or CaseStage.Ineligible) view.Reason = reason;
        view.DueOn = dueOn;
        view.Overdue = false;
        view.OwningDepartments = [];
        view.History.Add(new CaseStageEntry(stage, on, by, dueOn, reason, false));
        Touch(view, e);
    }

    private static void Touch(PolicyCaseDetails view, IEvent e)
    {
        view.Version = (int)e.Version;
        if (e.Timestamp > view.LastChangedAt) view.LastChangedAt = e.Timestamp;
    }
}
