using JasperFx.Events.Projections;
using Marten;

namespace Relief.Api.CaregiverFamilies;

public static class CaregiverFamiliesConfiguration
{
    /// <summary>
    /// The caregiver-family documents. Both projections are inline: the family view is read right
    /// after a write, and the agreement links must exist before an agreement can end. The family's
    /// data key is the household module's <c>HouseholdDataKey</c> document, keyed by the family id.
    /// </summary>
    public static StoreOptions ConfigureCaregiverFamilies(this StoreOptions opts)
    {
        opts.Projections.Add<FamilyAgreementLinkProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<CaregiverFamilyDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<CaregiverFamilyDetails>().Index(x => x.Township);
        opts.Schema.For<FamilyAgreementLink>();
        opts.Schema.For<CaregiverFamilyDisclosure>().Index(x => x.FamilyId);
        return opts;
    }
}
