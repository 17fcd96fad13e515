using Relief.Core.Protection;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Marten.Events.Aggregation;

namespace Relief.Api.Supervision;

/// <summary>
/// The stored view of one exemplary-deed report meeting (inline). The weekly report counts meetings
/// as these documents by <c>HeldOn</c>.
/// </summary>
public sealed class ExemplaryDeedMeetingDetails
{
    public Guid Id { get; set; }
    public DateOnly HeldOn { get; set; }
    public string Place { get; set; } = "";
    public string Township { get; set; } = "";
    public int Attendance { get; set; }
    public List<Guid> FamiliesHonoured { get; set; } = [];
    public string? Note { get; set; }
}

/// <summary>The stored view of one honour (inline); counted by <c>AwardedOn</c> and <c>Kind</c>.</summary>
public sealed class HonourDetails
{
    public Guid Id { get; set; }
    public Guid CaregiverFamilyId { get; set; }
    public string Township { get; set; } = "";
    public HonourKind Kind { get; set; }
    public string Title { get; set; } = "";
    public DateOnly AwardedOn { get; set; }
    public Guid? MeetingId { get; set; }
}

/// <summary>The stored view of one material reward (inline); the report counts and sums them by <c>AwardedOn</c>.</summary>
public sealed class MaterialRewardDetails
{
    public Guid Id { get; set; }
    public Guid CaregiverFamilyId { get; set; }
    public string Township { get; set; } = "";
    public decimal Amount { get; set; }
    public DateOnly AwardedOn { get; set; }

    /// <summary>Why, sealed under the family's key (as in the event).</summary>
    public ProtectedValue Reason { get; set; } = ProtectedValue.LegacyPlaintext("");
}

/// <summary>A material reward as the API shows it: its reason opened (<c>[erased]</c> once erased).</summary>
public sealed record MaterialRewardResponse(Guid Id, Guid CaregiverFamilyId, string Township, decimal Amount, DateOnly AwardedOn, string Reason)
{
    public static MaterialRewardResponse Of(MaterialRewardDetails r, KeyChain keys) =>
        new(r.Id, r.CaregiverFamilyId, r.Township, r.Amount, r.AwardedOn, keys.Show(SealedFields.Reason, r.Reason));

    /// <summary>Rewards as the API shows them: their families' keys loaded in one round trip.</summary>
    public static async Task<IReadOnlyList<MaterialRewardResponse>> Of(IReadOnlyList<MaterialRewardDetails> rewards, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var keys = await vault.Keys(session, rewards.Select(r => r.Reason), token);
        return rewards.Select(r => Of(r, keys)).ToList();
    }
}

public sealed partial class ExemplaryDeedMeetingDetailsProjection : SingleStreamProjection<ExemplaryDeedMeetingDetails, Guid>
{
    public static ExemplaryDeedMeetingDetails Create(ExemplaryDeedMeetingHeld e) => new()
    {
        Id = e.MeetingId, HeldOn = e.HeldOn, Place = e.Place, Township = e.Township, Attendance = e.Attendance,
        FamiliesHonoured = [.. e.FamiliesHonoured], Note = e.Note,
    };
}

public sealed partial class HonourDetailsProjection : SingleStreamProjection<HonourDetails, Guid>
{
    public static HonourDetails Create(HonourAwarded e) => new()
    {
        Id = e.HonourId, CaregiverFamilyId = e.CaregiverFamilyId, Township = e.Township, Kind = e.Kind, Title = e.Title,
        AwardedOn = e.AwardedOn, MeetingId = e.MeetingId,
    };
}

public sealed partial class MaterialRewardDetailsProjection : SingleStreamProjection<MaterialRewardDetails, Guid>
{
    public static MaterialRewardDetails Create(MaterialRewardGranted e) => new()
    {
        Id = e.RewardId, CaregiverFamilyId = e.CaregiverFamilyId, Township = e.Township, Amount = e.Amount,
        AwardedOn = e.AwardedOn, Reason = e.Reason,
    };
}
