using Marten;
using Relief.Api.Infrastructure.Http;

namespace Relief.Api.CareAgreements;

/// <summary>Care agreements (五养协议): their store and the stream their routes name.</summary>
public static class CareAgreementsModule
{
    public static IHostApplicationBuilder AddCareAgreements(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureCareAgreements());
        builder.Services.AddStreamRoute(AgreementRules.Stream);
        return builder;
    }
}
