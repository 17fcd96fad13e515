using JasperFx.Events.Projections;
using Marten;

namespace Relief.Api.CareAgreements;

public static class CareAgreementsConfiguration
{
    public static StoreOptions ConfigureCareAgreements(this StoreOptions opts)
    {
        opts.Projections.Add<CareAgreementDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<CareAgreementDetails>().Index(x => x.HouseholdId).Index(x => x.CentreStayId)
            .Index(x => x.Caregiver.CaregiverFamilyId);
        return opts;
    }
}
