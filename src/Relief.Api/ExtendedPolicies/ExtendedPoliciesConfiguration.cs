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
            .Index(x => x.HouseholdId);
        return opts;
    }
}
