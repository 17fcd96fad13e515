using JasperFx.Events.Projections;
using Marten;

namespace Relief.Api.CareCentres;

public static class CareCentresConfiguration
{
    public static StoreOptions ConfigureCareCentres(this StoreOptions opts)
    {
        // The write models are aggregated live; registering them lets a stream's state name its type.
        opts.Projections.LiveStreamAggregation<CareCentre>();
        opts.Projections.LiveStreamAggregation<FundingRules>();
        opts.Projections.Add<CentreDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<CentreStayProjection>(ProjectionLifecycle.Inline);
        // Unique: two concurrent registrations of one name lose at the index (409 via UniqueConflictMiddleware).
        opts.Schema.For<CentreDetails>().UniqueIndex(x => x.Name);
        opts.Schema.For<CentreStay>().Index(x => x.HouseholdId).Index(x => x.MemberId).Index(x => x.CentreId);
        return opts;
    }
}
