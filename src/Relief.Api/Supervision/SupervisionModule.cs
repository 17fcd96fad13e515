using Marten;
using Relief.Api.Infrastructure.Http;

namespace Relief.Api.Supervision;

/// <summary>Supervision (监督检查、评比、奖励、逐户核实、幸福指数): its store and the streams its routes name.</summary>
public static class SupervisionModule
{
    public static IHostApplicationBuilder AddSupervision(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureSupervision());
        builder.Services.AddStreamRoute(InspectionRules.Stream);
        builder.Services.AddStreamRoute(VerificationRules.Stream);
        return builder;
    }
}
