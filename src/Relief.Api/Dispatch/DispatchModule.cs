using Marten;

namespace Relief.Api.Dispatch;

/// <summary>The weekly dispatch (周工作调度): its store.</summary>
public static class DispatchModule
{
    public static IHostApplicationBuilder AddDispatch(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureDispatch());
        return builder;
    }
}
