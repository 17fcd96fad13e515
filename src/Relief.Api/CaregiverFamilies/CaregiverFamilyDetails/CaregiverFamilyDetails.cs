using Relief.Api.ExtendedPolicies;
using Relief.Core.Protection;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Relief.Api.CareAgreements;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// The stored view of one caregiver family, updated inline from the family's own stream only, so
/// that no write to another stream can overwrite it. The care agreements the family holds are read
/// at query time from the agreements' own documents (<c>CareAgreementDetails</c> whose
/// <c>Caregiver.CaregiverFamilyId</c> is the family). Other modules may read it (e.g. the weekly report): families = registered documents, people =
/// <see cref="Members"/> counted, family-doctor people and families = <see cref="MembersWithFamilyDoctorOn"/>
/// and <see cref="FamilyDoctorCoveredOn"/> for the report's date. Personal identifiers stay encrypted here.
/// </summary>
public sealed class CaregiverFamilyDetails
{
    public Guid Id { get; set; }

    /// <summary>True once the family's first event was applied (always, for a stored view).</summary>
    public bool Registered { get; set; }

    /// <summary>The version of the family's own stream (what writes send as <c>version</c>).</summary>
    public int FamilyVersion { get; set; }

    public string Township { get; set; } = "";
    public string Village { get; set; } = "";

    /// <summary>
    /// The head's name at registration, sealed under the head's key; the current head member's name
    /// is in <see cref="Members"/>.
    /// </summary>
    public ProtectedValue HeadName { get; set; } = ProtectedValue.LegacyPlaintext("");

    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }

    /// <summary>The current members, in the order they were added (the head first at registration).</summary>
    public List<CaregiverFamilyMemberDetails> Members { get; set; } = [];

    /// <summary>The latest needs survey, or null before the first.</summary>
    public FamilyNeeds? Needs { get; set; }

    /// <summary>The member who is head now, if any.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CaregiverFamilyMemberDetails? Head => Members.FirstOrDefault(m => m.Member.Relation == Relation.Head);

    /// <summary>
    /// The head's current name, opened with the head's own key (which <paramref name="keys"/> must
    /// hold): <c>[erased]</c> once erased, the registered name when no member is head.
    /// </summary>
    public string CurrentHeadName(KeyChain keys) =>
        Head is { } head
            ? keys.Open<FamilyMemberPersonalData>(MemberFields.Personal, head.Member.Personal)?.Name ?? PersonalDataMask.Erased
            : keys.Show(SealedFields.HeadName, HeadName);

    /// <summary>The people whose keys open what this view shows: its members, and the head at registration.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<Guid> PeopleNamed =>
        Members.Select(m => m.MemberId).Concat(PersonalDataVault.KeysOf([HeadName]).People).Distinct();

    /// <summary>The people whose keys <see cref="CurrentHeadName"/> needs.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<Guid> HeadPeople =>
        Head is { } head ? [head.MemberId] : PersonalDataVault.KeysOf([HeadName]).People;

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
    ProtectedValue? EndReason)
{
    /// <summary>Signed by then, its term not run out and not ended before that day.</summary>
    public bool InForceOn(DateOnly day) =>
        SignedOn <= day && (EndsOn is null || day <= EndsOn) && (EndedOn is null || day <= EndedOn);
}

/// <summary>A family-doctor agreement as the API shows it: its reason for ending opened (<c>[erased]</c> once erased).</summary>
public sealed record FamilyDoctorAgreementResponse(
    Guid AgreementId,
    DateOnly SignedOn,
    string DoctorOrTeam,
    string? Ceremony,
    DateOnly? EndsOn,
    DateOnly? EndedOn,
    string? EndReason)
{
    public static FamilyDoctorAgreementResponse? Of(FamilyDoctorAgreement? a, KeyChain keys) =>
        a is null ? null : new(a.AgreementId, a.SignedOn, a.DoctorOrTeam, a.Ceremony, a.EndsOn, a.EndedOn,
            keys.ShowText(SealedFields.Reason, a.EndReason));
}

/// <summary>The latest needs survey; its note sealed under the family's key (as in the event).</summary>
public sealed record FamilyNeeds(DateOnly SurveyedOn, IReadOnlyList<ExtendedPolicy> Needs, ProtectedValue? Note);

/// <summary>The latest needs survey as the API shows it: its note opened (<c>[erased]</c> once erased).</summary>
public sealed record FamilyNeedsResponse(DateOnly SurveyedOn, IReadOnlyList<ExtendedPolicy> Needs, string? Note)
{
    public static FamilyNeedsResponse? Of(FamilyNeeds? needs, KeyChain keys) =>
        needs is null ? null : new(needs.SurveyedOn, needs.Needs, keys.ShowText(SealedFields.Note, needs.Note));
}


/// <summary>Builds <see cref="CaregiverFamilyDetails"/> from the family's own stream.</summary>
public sealed partial class CaregiverFamilyDetailsProjection : SingleStreamProjection<CaregiverFamilyDetails, Guid>
{
    public CaregiverFamilyDetailsProjection()
    {
        // Evolve takes any event, so Marten cannot tell which it reads: without this list it would
        // load this view for every stream written (a household, a centre...), only to find nothing.
        IncludeType<CaregiverFamilyRegistered>();
        IncludeType<CaregiverFamilyMemberAdded>();
        IncludeType<CaregiverFamilyMemberChanged>();
        IncludeType<CaregiverFamilyMemberRemoved>();
        IncludeType<FamilyDoctorAgreementSigned>();
        IncludeType<FamilyDoctorAgreementEnded>();
        IncludeType<NeedsSurveyed>();
        IncludeType<CaregiverFamilyMemberPersonalDataErased>();
        IncludeType<CaregiverFamilyPersonalDataErased>();
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
            case CaregiverFamilyMemberPersonalDataErased or CaregiverFamilyPersonalDataErased:
                break;
            default:
                return snapshot;
        }

        view.FamilyVersion = (int)e.Version;
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
