using Marten;
using Relief.Api.Supervision;

namespace Relief.Api.Dispatch;

/// <summary>The weekly dispatch (周工作调度): its store.</summary>
public static class DispatchModule
{
    public static IHostApplicationBuilder AddDispatch(this IHostApplicationBuilder builder)
    {
        var schedule = EvaluationSchedule.From(builder.Configuration);
        builder.Services.ConfigureMarten(opts => opts.ConfigureDispatch(schedule));
        // The city's and province's roll-ups: each county's week read from its own report, a few counties at a time.
        builder.Services.AddSingleton(RollUps.RollUpOptions.From(builder.Configuration));
        builder.Services.AddSingleton<RollUps.RegionalDispatchReader>();
        return builder;
    }
}
