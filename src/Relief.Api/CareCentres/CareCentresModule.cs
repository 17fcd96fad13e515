using Marten;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Persistence;

namespace Relief.Api.CareCentres;

/// <summary>Care centres (医养中心): their store, the stream their routes name, and the snapshot backfill of their write model.</summary>
public static class CareCentresModule
{
    public static IHostApplicationBuilder AddCareCentres(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureCareCentres());
        builder.Services.AddStreamRoute(CentreRules.Stream);
        builder.Services.AddSnapshotBackfill<CareCentre>();
        return builder;
    }
}
