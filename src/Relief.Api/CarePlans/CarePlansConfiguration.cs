using JasperFx.Events.Projections;
using Marten;
using Relief.Api.CarePlans.PlanDetails;

namespace Relief.Api.CarePlans;

public static class CarePlansConfiguration
{
    public static StoreOptions ConfigureCarePlans(this StoreOptions opts)
    {
        opts.Projections.Add<CarePlanDetailsProjection>(ProjectionLifecycle.Inline);
        // One plan per household: the loser of two concurrent drafts is refused here (409 via UniqueConflictMiddleware).
        opts.Schema.For<CarePlanDetails>()
            .UniqueIndex(x => x.HouseholdId)
            .Index(x => x.Township)
            .Index(x => x.NextFollowUpOn)
            .Index(x => x.NextReviewOn);
        return opts;
    }
}
