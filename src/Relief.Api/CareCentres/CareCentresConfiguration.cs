using JasperFx.Events.Projections;
using Marten;

namespace Relief.Api.CareCentres;

public static class CareCentresConfiguration
{
    public static StoreOptions ConfigureCareCentres(this StoreOptions opts)
    {
        // A centre's stream grows with every service delivered: its write model is an inline snapshot,
        // the most recently written kept in memory (checked against the stream's version on every use).
        opts.Projections.Snapshot<CareCentre>(SnapshotLifecycle.Inline);
        opts.Events.CacheAggregatesForWriting<CareCentre>(sizeLimit: 1_000);
        // The funding rules are few and rarely written: aggregated live. Registering them lets a
        // stream's state name its type.
        opts.Projections.LiveStreamAggregation<FundingRules>();
        opts.Projections.LiveStreamAggregation<AdmissionRules>();
        opts.Projections.Add<CentreDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<CentreStayProjection>(ProjectionLifecycle.Inline);
        // Unique: two concurrent registrations of one name lose at the index (409 via UniqueConflictMiddleware).
        opts.Schema.For<CentreDetails>().UniqueIndex(x => x.Name);
        opts.Schema.For<CentreStay>().Index(x => x.HouseholdId).Index(x => x.MemberId).Index(x => x.CentreId);
        return opts;
    }
}
