using Marten.Events.Aggregation;

namespace Relief.Api.Households;

/// <summary>
/// A row of the household list: where the household is, how many members, whether it is closed.
/// Built from the household's own stream only (inline), so concurrent writes to other streams can
/// never overwrite it; coverage is derived at query time from the agreements' own documents.
/// </summary>
public sealed class HouseholdSummary
{
    public Guid Id { get; set; }
    public string Township { get; set; } = "";
    public string Village { get; set; } = "";
    public string HeadName { get; set; } = "";
    public int Members { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public bool Closed { get; set; }
    public MonitoringStatus Monitoring { get; set; }
}

public sealed partial class HouseholdSummaryProjection : SingleStreamProjection<HouseholdSummary, Guid>
{
    public static HouseholdSummary Create(HouseholdRegistered e) => new()
    {
        Id = e.HouseholdId, Township = e.Township, Village = e.Village, HeadName = e.HeadName, RegisteredAt = e.RegisteredAt,
    };

    public static void Apply(HouseholdDetailsChanged e, HouseholdSummary row)
    {
        row.Village = e.Village;
        row.HeadName = e.HeadName;
    }

    public static void Apply(HouseholdMemberAdded e, HouseholdSummary row) => row.Members++;

    public static void Apply(HouseholdMemberRemoved e, HouseholdSummary row) => row.Members--;

    public static void Apply(HouseholdMemberMovedOut e, HouseholdSummary row) => row.Members--;

    public static void Apply(HouseholdMemberMovedIn e, HouseholdSummary row) => row.Members++;

    public static void Apply(HouseholdClosed e, HouseholdSummary row) => row.Closed = true;

    public static void Apply(HouseholdMonitoringChanged e, HouseholdSummary row) => row.Monitoring = e.Status;
}
