using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Relief.Api.CareAgreements;
using Relief.Api.Households;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// The stored view of one caregiver family, updated inline with its events and with the care
/// agreements naming it as caregiver (<see cref="CareAgreementSigned"/> where
/// <c>Caregiver.CaregiverFamilyId</c> is the family, and their <see cref="CareAgreementEnded"/>).
/// Other modules may read it (e.g. the weekly report): families = registered documents, people =
/// <see cref="Members"/> counted, family-doctor people and families = <see cref="MembersWithFamilyDoctorOn"/>
/// and <see cref="FamilyDoctorCoveredOn"/> for the report's date. Personal identifiers stay encrypted here.
/// </summary>
public sealed class CaregiverFamilyDetails
{
    public Guid Id { get; set; }

    /// <summary>
    /// False while only care-agreement events have named the family (an agreement may be recorded
    /// before the family's stream start reaches the view): such a view is not a family yet.
    /// </summary>
    public bool Registered { get; set; }

    /// <summary>The version of the family's own stream (what writes send as <c>version</c>).</summary>
    public int FamilyVersion { get; set; }

    public string Township { get; set; } = "";
    public string Village { get; set; } = "";

    /// <summary>The head's name at registration; the current head member's name is in <see cref="Members"/>.</summary>
    public string HeadName { get; set; } = "";

    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }

    /// <summary>The current members, in the order they were added (the head first at registration).</summary>
    public List<CaregiverFamilyMemberDetails> Members { get; set; } = [];

    /// <summary>The latest needs survey, or null before the first.</summary>
    public FamilyNeeds? Needs { get; set; }

    /// <summary>The care agreements the family holds or held as caregiver, in the order signed.</summary>
    public List<FamilyCareAgreement> Agreements { get; set; } = [];

    /// <summary>
    /// Endings of agreements whose signing this view has not seen yet. Events routed by the grouper
    /// may reach a slice after the events routed by id (as in a rebuild), so an ending can come
    /// first; the signing then picks it up. Empty in a settled view.
    /// </summary>
    public Dictionary<Guid, DateOnly> PendingEndings { get; set; } = [];

    /// <summary>The head's current name (the registered one when no member is head).</summary>
    public string CurrentHeadName =>
        Members.FirstOrDefault(m => m.Member.Relation == Relation.Head)?.Member.Name ?? HeadName;

    /// <summary>People of the family with a family-doctor agreement in force on <paramref name="day"/>.</summary>
    public int MembersWithFamilyDoctorOn(DateOnly day) => Members.Count(m => m.FamilyDoctor?.InForceOn(day) == true);

    /// <summary>
    /// True when every current member has a family-doctor agreement in force on <paramref name="day"/>:
    /// how the county counts a family "with family-doctor agreements".
    /// </summary>
    public bool FamilyDoctorCoveredOn(DateOnly day) => Members.Count > 0 && MembersWithFamilyDoctorOn(day) == Members.Count;
}

/// <summary>A member in the stored view, with the latest family-doctor agreement it signed (ended or not).</summary>
public sealed record CaregiverFamilyMemberDetails(Guid MemberId, FamilyMemberRecord Member, FamilyDoctorAgreement? FamilyDoctor);

/// <summary>A family-doctor agreement as the view holds it.</summary>
public sealed record FamilyDoctorAgreement(
    Guid AgreementId,
    DateOnly SignedOn,
    string DoctorOrTeam,
    string? Ceremony,
    DateOnly? EndsOn,
    DateOnly? EndedOn,
    string? EndReason)
{
    /// <summary>Signed by then, its term not run out and not ended before that day.</summary>
    public bool InForceOn(DateOnly day) =>
        SignedOn <= day && (EndsOn is null || day <= EndsOn) && (EndedOn is null || day <= EndedOn);
}

/// <summary>The latest needs survey.</summary>
public sealed record FamilyNeeds(DateOnly SurveyedOn, IReadOnlyList<ExtendedPolicy> Needs, string? Note);

/// <summary>A care agreement the family holds as caregiver.</summary>
public sealed record FamilyCareAgreement(Guid AgreementId, Guid HouseholdId, CareMode Mode, DateOnly SignedOn, DateOnly? EndedOn);

/// <summary>
/// Builds <see cref="CaregiverFamilyDetails"/>: the family's own events route by their
/// <c>FamilyId</c>, <see cref="CareAgreementSigned"/> by its caregiver's family id, and
/// <see cref="CareAgreementEnded"/> (which names no family) through <see cref="FamilyAgreementLink"/>,
/// with the links of the same batch found first (Marten's "batch-aware grouper" pattern).
/// </summary>
public sealed partial class CaregiverFamilyDetailsProjection : MultiStreamProjection<CaregiverFamilyDetails, Guid>
{
    public CaregiverFamilyDetailsProjection()
    {
        Identity<CaregiverFamilyRegistered>(e => e.FamilyId);
        Identity<CaregiverFamilyMemberAdded>(e => e.FamilyId);
        Identity<CaregiverFamilyMemberChanged>(e => e.FamilyId);
        Identity<CaregiverFamilyMemberRemoved>(e => e.FamilyId);
        Identity<FamilyDoctorAgreementSigned>(e => e.FamilyId);
        Identity<FamilyDoctorAgreementEnded>(e => e.FamilyId);
        Identity<NeedsSurveyed>(e => e.FamilyId);
        Identities<CareAgreementSigned>(e => e.Caregiver.CaregiverFamilyId is { } id ? [id] : []);
        CustomGrouping(GroupEndedAgreements);
        // No IncludeType<CareAgreementEnded>(): it would replace the inferred list of event types
        // with that one type, and a rebuild would then see nothing else (a test pins the rebuild).
    }

    private static async Task GroupEndedAgreements(IQuerySession session, IReadOnlyList<IEvent> events,
        JasperFx.Events.Grouping.IEventGrouping<Guid> grouping)
    {
        var ended = events.OfType<IEvent<CareAgreementEnded>>().ToList();
        if (ended.Count == 0) return;

        var familyOf = events.OfType<IEvent<CareAgreementSigned>>()
            .Where(e => e.Data.Caregiver.CaregiverFamilyId is not null)
            .ToDictionary(e => e.Data.AgreementId, e => e.Data.Caregiver.CaregiverFamilyId!.Value);
        var unknown = ended.Select(e => e.Data.AgreementId).Where(id => !familyOf.ContainsKey(id)).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            foreach (var link in await session.LoadManyAsync<FamilyAgreementLink>(unknown))
                familyOf[link.Id] = link.FamilyId;
        }

        foreach (var e in ended)
        {
            if (familyOf.TryGetValue(e.Data.AgreementId, out var familyId)) grouping.AddEvent(familyId, e);
        }
    }

    public override CaregiverFamilyDetails? Evolve(CaregiverFamilyDetails? snapshot, Guid id, IEvent e)
    {
        var view = snapshot ?? new CaregiverFamilyDetails { Id = id };
        switch (e.Data)
        {
            case CaregiverFamilyRegistered registered:
                view.Registered = true;
                view.Township = registered.Township;
                view.Village = registered.Village;
                view.HeadName = registered.HeadName;
                view.RegisteredAt = registered.RegisteredAt;
                break;
            case CaregiverFamilyMemberAdded added:
                view.Members.Add(new CaregiverFamilyMemberDetails(added.MemberId, added.Member, null));
                break;
            case CaregiverFamilyMemberChanged changed:
                Replace(view, changed.MemberId, m => m with { Member = changed.Member });
                break;
            case CaregiverFamilyMemberRemoved removed:
                view.Members.RemoveAll(m => m.MemberId == removed.MemberId);
                break;
            case FamilyDoctorAgreementSigned signed:
                Replace(view, signed.MemberId, m => m with
                {
                    FamilyDoctor = new FamilyDoctorAgreement(signed.AgreementId, signed.SignedOn, signed.DoctorOrTeam,
                        signed.Ceremony, signed.EndsOn, null, null),
                });
                break;
            case FamilyDoctorAgreementEnded endedDoctor:
                Replace(view, endedDoctor.MemberId, m => m.FamilyDoctor?.AgreementId == endedDoctor.AgreementId
                    ? m with { FamilyDoctor = m.FamilyDoctor with { EndedOn = endedDoctor.EndedOn, EndReason = endedDoctor.Reason } }
                    : throw new InvalidOperationException($"Family-doctor agreement {endedDoctor.AgreementId} is not member {m.MemberId}'s latest."));
                break;
            case NeedsSurveyed surveyed:
                view.Needs = new FamilyNeeds(surveyed.SurveyedOn, surveyed.Needs, surveyed.Note);
                break;
            case CareAgreementSigned agreement:
                view.Agreements.RemoveAll(a => a.AgreementId == agreement.AgreementId);
                DateOnly? endedOn = view.PendingEndings.Remove(agreement.AgreementId, out var pending) ? pending : null;
                view.Agreements.Add(new FamilyCareAgreement(agreement.AgreementId, agreement.HouseholdId, agreement.Mode,
                    agreement.SignedOn, endedOn));
                view.Agreements.Sort((a, b) => a.SignedOn.CompareTo(b.SignedOn));
                break;
            case CareAgreementEnded agreementEnded:
                var index = view.Agreements.FindIndex(a => a.AgreementId == agreementEnded.AgreementId);
                if (index < 0) view.PendingEndings[agreementEnded.AgreementId] = agreementEnded.EndedOn;
                else view.Agreements[index] = view.Agreements[index] with { EndedOn = agreementEnded.EndedOn };
                break;
            default:
                return snapshot;
        }

        // The family's own stream version; agreement events belong to other streams.
        if (e.Data is not (CareAgreementSigned or CareAgreementEnded)) view.FamilyVersion = (int)e.Version;
        if (e.Timestamp > view.LastChangedAt) view.LastChangedAt = e.Timestamp;
        return view;
    }

    private static void Replace(CaregiverFamilyDetails view, Guid memberId,
        Func<CaregiverFamilyMemberDetails, CaregiverFamilyMemberDetails> change)
    {
        var index = view.Members.FindIndex(m => m.MemberId == memberId);
        if (index < 0) throw new InvalidOperationException($"Member {memberId} is not in caregiver family {view.Id}.");
        view.Members[index] = change(view.Members[index]);
    }
}
