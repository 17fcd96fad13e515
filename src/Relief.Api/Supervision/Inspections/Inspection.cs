using Relief.Core.Protection;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Events;

namespace Relief.Api.Supervision;

// The inspection stream (监督检查): a supervision visit, its findings and its follow-up actions.

/// <summary>Who inspected: society (社会), a helper unit (帮扶单位) or the media (媒体).</summary>
public enum Inspector { Society, HelperUnit, Media }

/// <summary>A follow-up action, numbered from 1 in the order given, due on <c>DueOn</c>, owned by a department.</summary>
public sealed record FollowUp(int Number, string Action, DateOnly DueOn, Department Owner);

/// <summary>
/// A supervision visit on <c>InspectedOn</c> in <c>Township</c>, of a household and/or a caregiver family
/// when named, with its findings and the follow-up actions it asked for. The findings of a visit that
/// names a household (else a caregiver family) may describe its people: they are sealed under that
/// record's key. A visit that names neither (a centre, a township) keeps them in clear, as a plain
/// string (as events written before sealing hold them).
/// </summary>
public sealed record InspectionRecorded(
    Guid InspectionId,
    Guid? HouseholdId,
    Guid? CaregiverFamilyId,
    string Township,
    Inspector Inspector,
    DateOnly InspectedOn,
    ProtectedValue Findings,
    IReadOnlyList<FollowUp> FollowUps) : IHouseholdOrFamilyEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => InspectedOn;
}

/// <summary>
/// Follow-up <c>Number</c> of the inspection was carried out on <c>CompletedOn</c>. The note is sealed as
/// the inspection's findings are: under the key of the household (else the family) it names, in clear otherwise.
/// </summary>
public sealed record FollowUpCompleted(Guid InspectionId, int Number, DateOnly CompletedOn, ProtectedValue? Note) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => CompletedOn;
}

/// <summary>The write model of an inspection: its date, its township and which follow-ups are done.</summary>
public sealed class Inspection
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Township { get; set; } = "";
    public DateOnly InspectedOn { get; set; }
    public List<FollowUp> FollowUps { get; set; } = [];
    public Dictionary<int, DateOnly> Completed { get; set; } = [];

    public static Inspection Create(InspectionRecorded e) => new()
    {
        Id = e.InspectionId, Township = e.Township, InspectedOn = e.InspectedOn, FollowUps = [.. e.FollowUps],
    };

    public void Apply(FollowUpCompleted e) => Completed[e.Number] = e.CompletedOn;
}
