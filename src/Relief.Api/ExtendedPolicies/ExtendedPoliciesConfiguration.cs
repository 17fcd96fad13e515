using JasperFx.Events.Projections;
using Marten;

namespace Relief.Api.ExtendedPolicies;

public static class ExtendedPoliciesConfiguration
{
    public static StoreOptions ConfigureExtendedPolicies(this StoreOptions opts)
    {
        opts.Projections.Add<PolicyCaseDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<PolicyCaseDetails>()
            .Index(x => x.Township)
            .Index(x => x.CaregiverFamilyId)
            .Index(x => x.HouseholdId)
            // One open case per family (or household) and policy: the loser of two concurrent openings
            // is refused here (409 case-already-open via UniqueConflictMiddleware). Closed cases hold null.
            .UniqueIndex(x => x.OpenKey!);
        return opts;
    }
}
