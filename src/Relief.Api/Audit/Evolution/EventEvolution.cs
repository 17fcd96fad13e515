using Marten;
using Relief.Api.Households;
using Relief.Core.Events;

namespace Relief.Api.Audit.Evolution;

/// <summary>
/// The shape of the monitoring event before the status became a three-valued enum: it was
/// <c>household_monitoring_flagged</c> with a yes/no <c>monitored</c>. Rows of that shape stay in
/// <c>mt_events</c> as they were (events are never edited, and the hash chain covers them as
/// stored); the upcaster below turns them into <see cref="HouseholdMonitoringChanged"/> whenever
/// they are read, so write models, projections and time travel see only the current shape.
/// </summary>
public sealed record HouseholdMonitoringFlagged(Guid HouseholdId, bool Monitored, DateOnly Since) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => Since;
}

/// <summary>
/// How an event changes shape in Relief: keep the old record (or the old JSON type name), register
/// an upcaster from it to the current event, and never rewrite stored rows. See
/// /work/briefs/readme-audit.md ("Changing an event's shape").
/// </summary>
public static class EventEvolution
{
    public const string LegacyMonitoringType = "household_monitoring_flagged";

    public static StoreOptions ConfigureEventEvolution(this StoreOptions opts)
    {
        opts.Events.Upcast<HouseholdMonitoringFlagged, HouseholdMonitoringChanged>(LegacyMonitoringType, old =>
            new HouseholdMonitoringChanged(old.HouseholdId,
                old.Monitored ? MonitoringStatus.Monitored : MonitoringStatus.NotMonitored, old.Since, Note: null));
        return opts;
    }
}
