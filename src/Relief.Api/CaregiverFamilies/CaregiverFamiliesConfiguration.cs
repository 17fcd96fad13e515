using JasperFx.Events.Projections;
using Marten;

namespace Relief.Api.CaregiverFamilies;

public static class CaregiverFamiliesConfiguration
{
    /// <summary>
    /// The caregiver-family documents. The family view is inline: it is read right after a write.
    /// The family's data key is the household module's <c>HouseholdDataKey</c> document, keyed by the family id.
    /// </summary>
    public static StoreOptions ConfigureCaregiverFamilies(this StoreOptions opts)
    {
        opts.Projections.Add<CaregiverFamilyDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<CaregiverFamilyDetails>().Index(x => x.Township);
        return opts;
    }
}
