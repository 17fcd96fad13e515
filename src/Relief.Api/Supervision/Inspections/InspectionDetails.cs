using Relief.Core.Protection;
using Relief.Api.Infrastructure.PersonalData;
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
    /// <summary>The findings, sealed as in the event (in clear when the inspection names no household or family).</summary>
    public ProtectedValue Findings { get; set; } = ProtectedValue.InClear("");
    public List<FollowUpDetails> FollowUps { get; set; } = [];
    public int OpenFollowUps { get; set; }

    /// <summary>The due date of the earliest open follow-up, null when none is open.</summary>
    public DateOnly? EarliestOpenDueOn { get; set; }
}

/// <summary>A follow-up action and, once done, when.</summary>
public sealed record FollowUpDetails(int Number, string Action, DateOnly DueOn, Department Owner, DateOnly? CompletedOn, ProtectedValue? Note);

/// <summary>One inspection as the API shows it: the stored view, its findings and follow-up notes opened (<c>[erased]</c> once erased).</summary>
/// <param name="Id">The inspection.</param>
/// <param name="Version">The inspection stream's version (what a follow-up's completion sends).</param>
/// <param name="HouseholdId">The household visited, if one was named.</param>
/// <param name="CaregiverFamilyId">The caregiver family visited, if one was named.</param>
/// <param name="Township">The township code of the visit.</param>
/// <param name="Inspector">Who supervised: society, a helper unit or the media.</param>
/// <param name="InspectedOn">The business date of the visit.</param>
/// <param name="Findings">What the visit found: opened with the key of the household (else the family) it names, <c>[erased]</c> once that record was erased.</param>
/// <param name="FollowUps">The follow-up actions asked for, in order.</param>
/// <param name="OpenFollowUps">How many follow-ups are not done yet.</param>
/// <param name="EarliestOpenDueOn">The due date of the earliest open follow-up, null when none is open.</param>
public sealed record InspectionResponse(
    Guid Id, int Version, Guid? HouseholdId, Guid? CaregiverFamilyId, string Township, Inspector Inspector, DateOnly InspectedOn,
    string Findings, IReadOnlyList<FollowUpResponse> FollowUps, int OpenFollowUps, DateOnly? EarliestOpenDueOn)
{
    public static InspectionResponse Of(InspectionDetails i, KeyChain keys) =>
        new(i.Id, i.Version, i.HouseholdId, i.CaregiverFamilyId, i.Township, i.Inspector, i.InspectedOn,
            keys.Show(SealedFields.Findings, i.Findings),
            i.FollowUps.Select(f => new FollowUpResponse(f.Number, f.Action, f.DueOn, f.Owner, f.CompletedOn,
                keys.ShowText(SealedFields.Note, f.Note))).ToList(),
            i.OpenFollowUps, i.EarliestOpenDueOn);

    /// <summary>The sealed values the answer for <paramref name="inspections"/> opens, whose keys a read loads.</summary>
    public static IEnumerable<ProtectedValue?> Sealed(IEnumerable<InspectionDetails> inspections) =>
        inspections.SelectMany(i => i.FollowUps.Select(f => f.Note).Prepend(i.Findings));
}

/// <summary>A follow-up action and, once done, when, with its note opened.</summary>
/// <param name="Number">Its number within the inspection, from 1.</param>
/// <param name="Action">What is to be done (an instruction to a department, kept in clear).</param>
/// <param name="DueOn">When it is due.</param>
/// <param name="Owner">The department that owns it.</param>
/// <param name="CompletedOn">When it was carried out, null while open.</param>
/// <param name="Note">The note given on completion, opened as the findings are.</param>
public sealed record FollowUpResponse(int Number, string Action, DateOnly DueOn, Department Owner, DateOnly? CompletedOn, string? Note);

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
