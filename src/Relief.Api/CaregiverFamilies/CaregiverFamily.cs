using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Households;
using Relief.Core.Calendar;
using Relief.Core.Events;
using Relief.Core.Protection;

namespace Relief.Api.CaregiverFamilies;

// The caregiver family stream (托养人家庭): its events and its write model.
// The first event is fixed here because care agreements start family streams with it
// (a kinship, neighbour or assigned-helper agreement "makes" a family when it names none).

/// <summary>
/// A family that signed (or will sign) a kinship, neighbour or assigned-helper agreement was
/// registered, with the person who signs as its first member (<c>Head</c>). The head's name is
/// sealed under the head member's key (events written before hold it as a plain string).
/// </summary>
public sealed record CaregiverFamilyRegistered(
    Guid FamilyId,
    string Township,
    string Village,
    ProtectedValue HeadName,
    DateTimeOffset RegisteredAt) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChinaTime.Today(RegisteredAt);
}

/// <summary>
/// A person joined the family's record. The head joins this way too, in the same stream start as
/// <see cref="CaregiverFamilyRegistered"/> (relation <c>Head</c>).
/// </summary>
public sealed record CaregiverFamilyMemberAdded(Guid FamilyId, Guid MemberId, FamilyMemberRecord Member);

/// <summary>A member's details were corrected or completed; the record holds the whole new state.</summary>
public sealed record CaregiverFamilyMemberChanged(Guid FamilyId, Guid MemberId, FamilyMemberRecord Member);

/// <summary>A member left the family's record (moved, deceased, recorded in error …); the reason sealed under the family's key.</summary>
public sealed record CaregiverFamilyMemberRemoved(Guid FamilyId, Guid MemberId, ProtectedValue Reason);

/// <summary>
/// A member signed a family-doctor service agreement (家庭医生签约) on <c>SignedOn</c> with a doctor
/// or a team, possibly at a township ceremony (<c>Ceremony</c>: where or which), for a term ending
/// on <c>EndsOn</c> (null: open-ended).
/// </summary>
public sealed record FamilyDoctorAgreementSigned(
    Guid FamilyId,
    Guid MemberId,
    Guid AgreementId,
    DateOnly SignedOn,
    string DoctorOrTeam,
    string? Ceremony,
    DateOnly? EndsOn) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => SignedOn;
}

/// <summary>A member's family-doctor agreement ended early; <c>EndedOn</c> is its last day; the reason sealed under the family's key.</summary>
public sealed record FamilyDoctorAgreementEnded(Guid FamilyId, Guid MemberId, Guid AgreementId, DateOnly EndedOn, ProtectedValue Reason) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => EndedOn;
}

/// <summary>
/// The family's needs were surveyed (需求排查) on <c>SurveyedOn</c>: which of the eight extended
/// policies it needs. The latest survey stands; earlier ones stay in the stream. The note is sealed
/// under the family's key.
/// </summary>
public sealed record NeedsSurveyed(Guid FamilyId, DateOnly SurveyedOn, IReadOnlyList<ExtendedPolicy> Needs, ProtectedValue? Note) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => SurveyedOn;
}

/// <summary>
/// A family member as stored. As for household members, everything personal is sealed as one
/// <see cref="FamilyMemberPersonalData"/> under the member's own key; no hash of the resident ID is
/// kept (a repeat within the family is found by opening the members' records). Gender is null only for a head whose family another module started from a name
/// alone (<see cref="CaregiverFamilyStart"/>); the API requires it.
/// </summary>
/// <remarks>A record in the shape events had before per-person sealing (name, birth date in clear in the
/// record) reads as a legacy plaintext <c>Personal</c> (<see cref="FamilyMemberRecordJson"/>).</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(FamilyMemberRecordJson))]
public sealed record FamilyMemberRecord(
    Relation Relation,
    Gender? Gender,
    ProtectedValue Personal);

/// <summary>Reads a caregiver-family member record of today's shape or of the shape before per-person sealing.</summary>
public sealed class FamilyMemberRecordJson : MemberRecordJsonConverter<FamilyMemberRecord>
{
    protected override FamilyMemberRecord Create(System.Text.Json.Nodes.JsonNode? relation, System.Text.Json.Nodes.JsonNode? gender,
        ProtectedValue personal, System.Text.Json.JsonSerializerOptions options) =>
        new(System.Text.Json.JsonSerializer.Deserialize<Relation>(relation, options),
            System.Text.Json.JsonSerializer.Deserialize<Gender?>(gender, options), personal);

    protected override (object Relation, object? Gender, ProtectedValue Personal) Parts(FamilyMemberRecord value) =>
        (value.Relation, value.Gender, value.Personal);
}

/// <summary>What is personal about a caregiver-family member: sealed, never stored in clear.</summary>
public sealed record FamilyMemberPersonalData(
    string Name,
    DateOnly? BirthDate,
    string? ResidentId,
    string? Phone);

/// <summary>One member's key was forgotten: nothing personal of that person can be read again.</summary>
public sealed record CaregiverFamilyMemberPersonalDataErased(Guid FamilyId, Guid MemberId, string Reason, DateTimeOffset ErasedAt) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChinaTime.Today(ErasedAt);
}

/// <summary>
/// The family's key and the key of every person it holds were forgotten: its notes and reasons, its
/// head's name and every member's personal data (and what was copied under their keys: names on
/// agreements, enrolments and placements) can never be read again.
/// </summary>
public sealed record CaregiverFamilyPersonalDataErased(Guid FamilyId, string Reason, DateTimeOffset ErasedAt) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChinaTime.Today(ErasedAt);
}

/// <summary>The family-doctor agreement a member holds, as the decisions need it.</summary>
public sealed record FamilyDoctorTerm(Guid AgreementId, DateOnly SignedOn, DateOnly? EndsOn);

/// <summary>The write model of a caregiver family: what its decisions need to know.</summary>
public sealed class CaregiverFamily
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Township { get; set; } = "";
    public Dictionary<Guid, FamilyMemberRecord> Members { get; set; } = [];

    /// <summary>Per member, the latest family-doctor agreement not ended by an event.</summary>
    public Dictionary<Guid, FamilyDoctorTerm> FamilyDoctor { get; set; } = [];

    public DateOnly? LastSurveyedOn { get; set; }

    /// <summary>Members whose own key was forgotten: nothing personal can be recorded for them again.</summary>
    public HashSet<Guid> ErasedMembers { get; set; } = [];

    /// <summary>True once the family's own key was forgotten (<see cref="CaregiverFamilyPersonalDataErased"/>).</summary>
    public bool PersonalDataErased { get; set; }

    public static CaregiverFamily Create(CaregiverFamilyRegistered e) => new() { Id = e.FamilyId, Township = e.Township };

    public void Apply(CaregiverFamilyMemberAdded e) => Members[e.MemberId] = e.Member;

    public void Apply(CaregiverFamilyMemberChanged e) => Members[e.MemberId] = e.Member;

    public void Apply(CaregiverFamilyMemberRemoved e)
    {
        Members.Remove(e.MemberId);
        FamilyDoctor.Remove(e.MemberId);
    }

    public void Apply(FamilyDoctorAgreementSigned e) =>
        FamilyDoctor[e.MemberId] = new FamilyDoctorTerm(e.AgreementId, e.SignedOn, e.EndsOn);

    public void Apply(FamilyDoctorAgreementEnded e) => FamilyDoctor.Remove(e.MemberId);

    public void Apply(NeedsSurveyed e) => LastSurveyedOn = e.SurveyedOn;

    public void Apply(CaregiverFamilyMemberPersonalDataErased e) => ErasedMembers.Add(e.MemberId);

    public void Apply(CaregiverFamilyPersonalDataErased e)
    {
        PersonalDataErased = true;
        ErasedMembers.UnionWith(Members.Keys);
    }
}
