using Relief.Api.ExtendedPolicies;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Events;
using Relief.Core.Protection;

namespace Relief.Api.Supervision;

// The verification-round stream (逐户核实): a department checks, household by household and family by
// family, that a policy it owns is delivered as recorded in one township; one stream per round.

/// <summary>What a check found: the record <c>Confirmed</c> as it stands, or the situation <c>Changed</c> (with a note why).</summary>
public enum VerificationOutcome { Confirmed, Changed }

/// <summary>Whether a subject of a round is a caregiver family or a household.</summary>
public enum RoundSubjectKind { CaregiverFamily, Household }

/// <summary>A family or household due a check in a round, because of its case (if any) or its surveyed need of the policy.</summary>
public sealed record DueForVerification(Guid SubjectId, RoundSubjectKind Kind, Guid? CaseId);

/// <summary>
/// <c>Department</c> opened a verification round of <c>Policy</c> in <c>Township</c> on <c>OpenedOn</c>; <c>Due</c>
/// lists, as found that day, the families and households to check: those with a case of the policy (open or
/// granted) or a measure of it, and the families whose latest survey needs it.
/// </summary>
public sealed record VerificationRoundOpened(
    Guid RoundId,
    string Township,
    ExtendedPolicy Policy,
    Department Department,
    DateOnly OpenedOn,
    IReadOnlyList<DueForVerification> Due) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => OpenedOn;
}

/// <summary>
/// A family or household of the round was checked on <c>CheckedOn</c>: confirmed, or found changed. The note
/// (required when changed) is sealed under the key of that family or household.
/// </summary>
public sealed record VerificationChecked(Guid RoundId, Guid SubjectId, VerificationOutcome Outcome, DateOnly CheckedOn, ProtectedValue? Note)
    : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => CheckedOn;
}

/// <summary>The round was closed on <c>ClosedOn</c> with its figures: how many were due, confirmed, found changed and left unchecked.</summary>
public sealed record VerificationRoundClosed(Guid RoundId, DateOnly ClosedOn, int Due, int Confirmed, int Changed, int Unchecked) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ClosedOn;
}

/// <summary>The write model of a verification round.</summary>
public sealed class VerificationRound
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Township { get; set; } = "";
    public ExtendedPolicy Policy { get; set; }
    public Department Department { get; set; }
    public DateOnly OpenedOn { get; set; }
    public Dictionary<Guid, DueForVerification> Due { get; set; } = [];
    public Dictionary<Guid, VerificationOutcome> Checked { get; set; } = [];
    public DateOnly? ClosedOn { get; set; }

    public static VerificationRound Create(VerificationRoundOpened e) => new()
    {
        Id = e.RoundId, Township = e.Township, Policy = e.Policy, Department = e.Department, OpenedOn = e.OpenedOn,
        Due = e.Due.ToDictionary(d => d.SubjectId),
    };

    public void Apply(VerificationChecked e) => Checked[e.SubjectId] = e.Outcome;

    public void Apply(VerificationRoundClosed e) => ClosedOn = e.ClosedOn;
}
