using Marten;
using Relief.Api.Infrastructure.Http;

namespace Relief.Api.CaregiverFamilies;

/// <summary>Caregiver families (托养人家庭): their store and the stream their routes name.</summary>
public static class CaregiverFamiliesModule
{
    public static IHostApplicationBuilder AddCaregiverFamilies(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureCaregiverFamilies());
        builder.Services.AddStreamRoute(CaregiverFamilyRules.Stream);
        return builder;
    }
}
