using JasperFx.Events;
using Marten.Events.Aggregation;
using Relief.Api.Audit.Corrections;
using Relief.Core.Protection;

namespace Relief.Api.Households;

/// <summary>
/// The stored view of one household, updated in the same transaction as its events (inline), so a
/// read right after a write sees it. Everything personal stays sealed here as in the events: the
/// head's name, the address and the members' records are opened by the reads that show them.
/// </summary>
public sealed class HouseholdDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Township { get; set; } = "";
    public string Village { get; set; } = "";

    /// <summary>The head's name, sealed under the head person's key (as in the events).</summary>
    public ProtectedValue HeadName { get; set; } = ProtectedValue.LegacyPlaintext("");

    /// <summary>The address, sealed under the household's key (as in the events).</summary>
    public ProtectedValue Address { get; set; } = ProtectedValue.LegacyPlaintext("");

    public PovertyCause PovertyCause { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }
    public List<HouseholdMemberDetails> Members { get; set; } = [];
    public MonitoringStatus Monitoring { get; set; }
    public DateOnly? MonitoringSince { get; set; }
    public HouseholdClosed? Closure { get; set; }
}

/// <summary>A member in the stored view.</summary>
public sealed record HouseholdMemberDetails(Guid MemberId, MemberRecord Member);

public sealed partial class HouseholdDetailsProjection : SingleStreamProjection<HouseholdDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, HouseholdDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static HouseholdDetails? Create(EntryVoided e) => null;

    public static HouseholdDetails Create(IEvent<HouseholdRegistered> e) => new()
    {
        Id = e.Data.HouseholdId,
        Township = e.Data.Township,
        Village = e.Data.Village,
        HeadName = e.Data.HeadName,
        Address = e.Data.Address,
        PovertyCause = e.Data.PovertyCause,
        RegisteredAt = e.Data.RegisteredAt,
        LastChangedAt = e.Timestamp,
    };

    public static void Apply(IEvent<HouseholdDetailsChanged> e, HouseholdDetails view)
    {
        view.Village = e.Data.Village;
        view.HeadName = e.Data.HeadName;
        view.Address = e.Data.Address;
        view.PovertyCause = e.Data.PovertyCause;
        view.LastChangedAt = e.Timestamp;
    }

    public static void Apply(IEvent<HouseholdMemberAdded> e, HouseholdDetails view)
    {
        view.Members.Add(new HouseholdMemberDetails(e.Data.MemberId, e.Data.Member));
        view.LastChangedAt = e.Timestamp;
    }

    public static void Apply(IEvent<HouseholdMemberChanged> e, HouseholdDetails view)
    {
        var index = view.Members.FindIndex(m => m.MemberId == e.Data.MemberId);
        if (index < 0) throw new InvalidOperationException($"Member {e.Data.MemberId} is not in household {view.Id}.");
        view.Members[index] = new HouseholdMemberDetails(e.Data.MemberId, e.Data.Member);
        view.LastChangedAt = e.Timestamp;
    }

    public static void Apply(IEvent<HouseholdPersonalDataErased> e, HouseholdDetails view) =>
        view.LastChangedAt = e.Timestamp;

    public static void Apply(IEvent<HouseholdMemberPersonalDataErased> e, HouseholdDetails view) =>
        view.LastChangedAt = e.Timestamp;

    public static void Apply(IEvent<HouseholdMemberMovedOut> e, HouseholdDetails view)
    {
        view.Members.RemoveAll(m => m.MemberId == e.Data.MemberId);
        view.LastChangedAt = e.Timestamp;
    }

    public static void Apply(IEvent<HouseholdMemberMovedIn> e, HouseholdDetails view)
    {
        view.Members.Add(new HouseholdMemberDetails(e.Data.MemberId, e.Data.Member));
        view.LastChangedAt = e.Timestamp;
    }

    public static void Apply(IEvent<HouseholdClosed> e, HouseholdDetails view)
    {
        view.Closure = e.Data;
        view.LastChangedAt = e.Timestamp;
    }

    public static void Apply(IEvent<HouseholdMonitoringChanged> e, HouseholdDetails view)
    {
        view.Monitoring = e.Data.Status;
        view.MonitoringSince = e.Data.Since;
        view.LastChangedAt = e.Timestamp;
    }

    public static void Apply(IEvent<HouseholdMemberRemoved> e, HouseholdDetails view)
    {
        view.Members.RemoveAll(m => m.MemberId == e.Data.MemberId);
        view.LastChangedAt = e.Timestamp;
    }
}
