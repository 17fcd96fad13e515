using JasperFx.Events.Projections;
using Marten;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Households;

public static class HouseholdsConfiguration
{
    public static StoreOptions ConfigureHouseholds(this StoreOptions opts)
    {
        // The write model as an inline snapshot, and the last few thousand written kept in memory: a
        // write to a household reads its stream's version and nothing else (Marten checks the cached
        // copy against the version, so a stale one is never used).
        opts.Projections.Snapshot<Household>(SnapshotLifecycle.Inline, o => o.BatchSize = ReliefStore.LargePage);
        opts.Events.CacheAggregatesForWriting<Household>(sizeLimit: 5_000);
        opts.Projections.Add<HouseholdDetailsProjection>(ProjectionLifecycle.Inline, o => o.BatchSize = ReliefStore.LargePage);
        opts.Schema.For<ActiveResident>().UniqueIndex(x => x.ResidentIdIndex).Index(x => x.HouseholdId);
        opts.Schema.For<HouseholdDetails>().Index(x => x.Township);
        opts.Schema.For<HouseholdDataKey>();
        opts.Schema.For<PersonDataKey>().Index(x => x.HolderId);
        return opts;
    }
}
