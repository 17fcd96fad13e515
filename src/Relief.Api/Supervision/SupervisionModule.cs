using Marten;
using Relief.Api.Infrastructure.Http;

namespace Relief.Api.Supervision;

/// <summary>Supervision (监督检查、评比、奖励): its store and the stream its routes name.</summary>
public static class SupervisionModule
{
    public static IHostApplicationBuilder AddSupervision(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureSupervision());
        builder.Services.AddStreamRoute(InspectionRules.Stream);
        return builder;
    }
}
