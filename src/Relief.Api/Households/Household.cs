using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Audit.Corrections;
using Relief.Core.Calendar;
using Relief.Core.Events;
using Relief.Core.Protection;

namespace Relief.Api.Households;

// The household stream (兜底户): its events and its write model.

/// <summary>
/// A safety-net household was registered. The head's name is sealed under a person's key
/// (<c>HeadPersonId</c>: the member who is head, or a person key of its own when no member is head),
/// so that erasing that person erases it; the address under the household's key. Events written
/// before these fields were sealed hold them as plain strings (legacy plaintext values).
/// </summary>
public sealed record HouseholdRegistered(
    Guid HouseholdId,
    string Township,
    string Village,
    ProtectedValue HeadName,
    ProtectedValue Address,
    PovertyCause PovertyCause,
    DateTimeOffset RegisteredAt,
    Guid? HeadPersonId = null) : IHouseholdEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChinaTime.Today(RegisteredAt);
}

/// <summary>
/// The household's own facts were corrected or updated (the whole new state); head name and
/// address sealed as at registration.
/// </summary>
public sealed record HouseholdDetailsChanged(
    Guid HouseholdId, string Village, ProtectedValue HeadName, ProtectedValue Address, PovertyCause PovertyCause,
    Guid? HeadPersonId = null) : IHouseholdEvent;

/// <summary>A person joined the household's record.</summary>
public sealed record HouseholdMemberAdded(Guid HouseholdId, Guid MemberId, MemberRecord Member) : IHouseholdEvent;

/// <summary>A member's details were corrected or updated; the record holds the whole new state.</summary>
public sealed record HouseholdMemberChanged(Guid HouseholdId, Guid MemberId, MemberRecord Member) : IHouseholdEvent;

/// <summary>A member left the household's record; the reason sealed under the household's key.</summary>
public sealed record HouseholdMemberRemoved(Guid HouseholdId, Guid MemberId, ProtectedValue Reason) : IHouseholdEvent;

/// <summary>A member moved to another household; the same person continues there under the same member id.</summary>
public sealed record HouseholdMemberMovedOut(Guid HouseholdId, Guid MemberId, Guid ToHouseholdId, DateOnly MovedOn) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => MovedOn;
}

/// <summary>
/// A member arrived from another household. The record is re-encrypted under this household's key.
/// </summary>
public sealed record HouseholdMemberMovedIn(Guid HouseholdId, Guid MemberId, Guid FromHouseholdId, DateOnly MovedOn, MemberRecord Member) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => MovedOn;
}

/// <summary>Why a household leaves the safety net.</summary>
public enum ClosureReason { Deceased, MovedAway, NoLongerEligible, Other }

/// <summary>
/// The household left the safety net. Its stream is archived right after this event: it stays
/// readable for auditors, and nothing more is recorded on it. The note is sealed under the household's key.
/// </summary>
public sealed record HouseholdClosed(Guid HouseholdId, ClosureReason Reason, DateOnly ClosedOn, ProtectedValue? Note) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ClosedOn;
}

/// <summary>The poverty-return monitoring status (防返贫监测) of a household.</summary>
public enum MonitoringStatus
{
    /// <summary>Not a monitored household.</summary>
    NotMonitored,
    /// <summary>监测户: at risk of falling back into poverty, watched.</summary>
    Monitored,
    /// <summary>风险消除: the risk was eliminated.</summary>
    RiskEliminated,
}

/// <summary>The household's monitoring status changed from a date; the note sealed under the household's key.</summary>
public sealed record HouseholdMonitoringChanged(Guid HouseholdId, MonitoringStatus Status, DateOnly Since, ProtectedValue? Note) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => Since;
}

/// <summary>
/// The household's key and the keys of every person recorded in it (and not moved elsewhere)
/// were forgotten: their personal data can never be read again, while every event stays as it was
/// (crypto-shredding, for PIPL erasure requests).
/// </summary>
public sealed record HouseholdPersonalDataErased(Guid HouseholdId, string Reason, DateTimeOffset ErasedAt) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChinaTime.Today(ErasedAt);
}

/// <summary>
/// One member's key was forgotten: everything personal ever recorded of that person, in this
/// household or any other they lived in, can never be read again. The member stays in the record,
/// without a name.
/// </summary>
public sealed record HouseholdMemberPersonalDataErased(Guid HouseholdId, Guid MemberId, string Reason, DateTimeOffset ErasedAt) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChinaTime.Today(ErasedAt);
}

/// <summary>
/// A member as stored: relation and gender in clear (the household's structure), everything
/// personal sealed as one <see cref="MemberPersonalData"/> under the member's own key (a
/// <c>PersonDataKey</c>). The keyed hash of the resident ID that finds duplicates is not in the
/// event: it lives only in the member's <see cref="ActiveResident"/> row, which an erasure deletes.
/// </summary>
/// <remarks>A record in the shape events had before per-person sealing (personal fields in clear in the
/// record) reads as a legacy plaintext <c>Personal</c> (<see cref="MemberRecordJson"/>).</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(MemberRecordJson))]
public sealed record MemberRecord(
    Relation Relation,
    Gender Gender,
    ProtectedValue Personal);

/// <summary>Reads a household member record of today's shape or of the shape before per-person sealing.</summary>
public sealed class MemberRecordJson : MemberRecordJsonConverter<MemberRecord>
{
    protected override MemberRecord Create(System.Text.Json.Nodes.JsonNode? relation, System.Text.Json.Nodes.JsonNode? gender,
        ProtectedValue personal, System.Text.Json.JsonSerializerOptions options) =>
        new(System.Text.Json.JsonSerializer.Deserialize<Relation>(relation, options),
            System.Text.Json.JsonSerializer.Deserialize<Gender>(gender, options), personal);

    protected override (object Relation, object? Gender, ProtectedValue Personal) Parts(MemberRecord value) =>
        (value.Relation, value.Gender, value.Personal);
}

/// <summary>What is personal about a household member: sealed, never stored in clear.</summary>
public sealed record MemberPersonalData(
    string Name,
    DateOnly BirthDate,
    string? ResidentId,
    string? DisabilityCertificateNo,
    string? Phone,
    DisabilityType? DisabilityType,
    int? DisabilityGrade,
    DependencyLevel? DependencyLevel);

/// <summary>
/// The write model of a household: what its decisions need to know. Kept as an inline snapshot
/// (a document written in the same transaction as the events), so a write reads one row instead of
/// replaying the stream. Every event a household stream can hold has an Apply here, even one that
/// changes nothing the decisions need: the snapshot's <see cref="Version"/> only moves with the events
/// it applies, and the version a write answers must be the stream's.
/// </summary>
public sealed class Household
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Township { get; set; } = "";
    public Dictionary<Guid, MemberRecord> Members { get; set; } = [];
    public bool PersonalDataErased { get; set; }

    /// <summary>Members whose own key was forgotten: nothing personal can be recorded for them again.</summary>
    public HashSet<Guid> ErasedMembers { get; set; } = [];
    public bool Closed { get; set; }
    public MonitoringStatus Monitoring { get; set; }

    /// <summary>The person whose key seals the head's name (null for a household registered before it was sealed).</summary>
    public Guid? HeadPersonId { get; set; }

    public static Household Create(HouseholdRegistered e) =>
        new() { Id = e.HouseholdId, Township = e.Township, HeadPersonId = e.HeadPersonId };

    public void Apply(HouseholdDetailsChanged e) => HeadPersonId = e.HeadPersonId;

    public void Apply(EntryVoided e)
    {
    }

    /// <summary>A correction on a stream of another kind makes no write model.</summary>
    public static Household? Create(EntryVoided e) => null;

    public void Apply(HouseholdMemberAdded e) => Members[e.MemberId] = e.Member;

    public void Apply(HouseholdMemberChanged e) => Members[e.MemberId] = e.Member;

    public void Apply(HouseholdMemberRemoved e) => Members.Remove(e.MemberId);

    public void Apply(HouseholdPersonalDataErased e)
    {
        PersonalDataErased = true;
        ErasedMembers.UnionWith(Members.Keys);
    }

    public void Apply(HouseholdMemberPersonalDataErased e) => ErasedMembers.Add(e.MemberId);

    public void Apply(HouseholdMemberMovedOut e) => Members.Remove(e.MemberId);

    public void Apply(HouseholdMemberMovedIn e) => Members[e.MemberId] = e.Member;

    public void Apply(HouseholdClosed e) => Closed = true;

    public void Apply(HouseholdMonitoringChanged e) => Monitoring = e.Status;

    /// <summary>The member who is head of the household, if any.</summary>
    public Guid? HeadId => Members.Where(m => m.Value.Relation == Relation.Head).Select(m => (Guid?)m.Key).FirstOrDefault();
}
