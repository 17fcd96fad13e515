using Relief.Core.Protection;
using Relief.Core.Events;
namespace Relief.Api.Supervision;

// Recognition (先进事迹报告会, 奖励): exemplary-deed report meetings, honours and material rewards.
// Each is its own small stream with one event; the stored views are what the reports count.

/// <summary>The kind of honour (精神奖励) a caregiver family receives.</summary>
public enum HonourKind
{
    /// <summary>孝老爱亲 / 孝心家庭</summary>
    FilialPiety,
    /// <summary>好邻居</summary>
    GoodNeighbour,
    /// <summary>优秀托养人 / 模范托养家庭</summary>
    ExemplaryCaregiver,
    /// <summary>其它</summary>
    Other,
}

/// <summary>
/// An exemplary-deed report meeting (先进事迹报告会) was held on <c>HeldOn</c> at <c>Place</c> in
/// <c>Township</c>, before <c>Attendance</c> people, honouring the caregiver families named.
/// </summary>
public sealed record ExemplaryDeedMeetingHeld(
    Guid MeetingId,
    DateOnly HeldOn,
    string Place,
    string Township,
    int Attendance,
    IReadOnlyList<Guid> FamiliesHonoured,
    string? Note) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => HeldOn;
}

/// <summary>A caregiver family received an honour (精神奖励), at a meeting when one is named.</summary>
public sealed record HonourAwarded(
    Guid HonourId,
    Guid CaregiverFamilyId,
    string Township,
    HonourKind Kind,
    string Title,
    DateOnly AwardedOn,
    Guid? MeetingId) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AwardedOn;
}

/// <summary>
/// A caregiver family received a material reward (物质奖励) of <c>Amount</c> yuan. The reason (what the
/// family did, often about the person cared for) is sealed under the family's key.
/// </summary>
public sealed record MaterialRewardGranted(
    Guid RewardId,
    Guid CaregiverFamilyId,
    string Township,
    decimal Amount,
    DateOnly AwardedOn,
    ProtectedValue Reason) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AwardedOn;
}

/// <summary>The write model of a meeting: nothing changes it yet.</summary>
public sealed class ExemplaryDeedMeeting
{
    public Guid Id { get; set; }
    public int Version { get; set; }

    public static ExemplaryDeedMeeting Create(ExemplaryDeedMeetingHeld e) => new() { Id = e.MeetingId };
}

/// <summary>The write model of an honour: nothing changes it yet.</summary>
public sealed class Honour
{
    public Guid Id { get; set; }
    public int Version { get; set; }

    public static Honour Create(HonourAwarded e) => new() { Id = e.HonourId };
}

/// <summary>The write model of a material reward: nothing changes it yet.</summary>
public sealed class MaterialReward
{
    public Guid Id { get; set; }
    public int Version { get; set; }

    public static MaterialReward Create(MaterialRewardGranted e) => new() { Id = e.RewardId };
}
