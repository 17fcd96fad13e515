using Marten;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Persistence;

namespace Relief.Api.Households;

/// <summary>Households (兜底户): their store, the stream their routes name, and the snapshot backfill of their write model.</summary>
public static class HouseholdsModule
{
    public static IHostApplicationBuilder AddHouseholds(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureHouseholds());
        builder.Services.AddStreamRoute(HouseholdRules.Stream);
        builder.Services.AddSnapshotBackfill<Household>();
        return builder;
    }
}
