using JasperFx.Events.Projections;
using Marten;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Households;

public static class HouseholdsConfiguration
{
    public static StoreOptions ConfigureHouseholds(this StoreOptions opts)
    {
        opts.Projections.Add<HouseholdDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<HouseholdSummaryProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<ActiveResidentProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<ActiveResident>().UniqueIndex(x => x.ResidentIdIndex).Index(x => x.HouseholdId);
        opts.Schema.For<HouseholdDetails>().Index(x => x.Township);
        opts.Schema.For<HouseholdDataKey>();
        opts.Schema.For<PersonalDataDisclosure>().Index(x => x.OwnerId);
        return opts;
    }
}
