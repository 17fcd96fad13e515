using Marten.Events.Aggregation;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Audit.Corrections;

namespace Relief.Api.Supervision;

/// <summary>
/// The stored view of one inspection (inline). The weekly report counts inspections as these
/// documents by <c>InspectedOn</c>; <c>EarliestOpenDueOn</c> finds those with overdue follow-ups.
/// </summary>
public sealed class InspectionDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid? HouseholdId { get; set; }
    public Guid? CaregiverFamilyId { get; set; }
    public string Township { get; set; } = "";
    public Inspector Inspector { get; set; }
    public DateOnly InspectedOn { get; set; }
    public string Findings { get; set; } = "";
    public List<FollowUpDetails> FollowUps { get; set; } = [];
    public int OpenFollowUps { get; set; }

    /// <summary>The due date of the earliest open follow-up, null when none is open.</summary>
    public DateOnly? EarliestOpenDueOn { get; set; }
}

/// <summary>A follow-up action and, once done, when.</summary>
public sealed record FollowUpDetails(int Number, string Action, DateOnly DueOn, Department Owner, DateOnly? CompletedOn, string? Note);

public sealed partial class InspectionDetailsProjection : SingleStreamProjection<InspectionDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, InspectionDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static InspectionDetails? Create(EntryVoided e) => null;

    public static InspectionDetails Create(InspectionRecorded e)
    {
        var view = new InspectionDetails
        {
            Id = e.InspectionId, HouseholdId = e.HouseholdId, CaregiverFamilyId = e.CaregiverFamilyId, Township = e.Township,
            Inspector = e.Inspector, InspectedOn = e.InspectedOn, Findings = e.Findings,
            FollowUps = [.. e.FollowUps.Select(f => new FollowUpDetails(f.Number, f.Action, f.DueOn, f.Owner, null, null))],
        };
        Count(view);
        return view;
    }

    public static void Apply(FollowUpCompleted e, InspectionDetails view)
    {
        var index = view.FollowUps.FindIndex(f => f.Number == e.Number);
        if (index < 0) throw new InvalidOperationException($"Inspection {view.Id} has no follow-up {e.Number}.");
        view.FollowUps[index] = view.FollowUps[index] with { CompletedOn = e.CompletedOn, Note = e.Note };
        Count(view);
    }

    private static void Count(InspectionDetails view)
    {
        var open = view.FollowUps.Where(f => f.CompletedOn is null).ToList();
        view.OpenFollowUps = open.Count;
        view.EarliestOpenDueOn = open.Count == 0 ? null : open.Min(f => f.DueOn);
    }
}
