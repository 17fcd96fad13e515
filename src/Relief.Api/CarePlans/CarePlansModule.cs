using Marten;
using Relief.Api.CarePlans.Reviews;
using Relief.Api.Infrastructure.Http;
using Wolverine;

namespace Relief.Api.CarePlans;

/// <summary>
/// Care plans (一户一策) and visits (逐户走访, 随访): their store, the stream their routes name, the
/// calendar of reviews and follow-ups, and the durable queue of the review checks.
/// </summary>
public static class CarePlansModule
{
    public static IHostApplicationBuilder AddCarePlans(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureCarePlans());
        builder.Services.AddStreamRoute(CarePlanRules.Stream);
        builder.Services.AddSingleton(CarePlanSchedule.From(builder.Configuration));
        // A review check is stored in PostgreSQL with the event that set the review date.
        builder.Services.ConfigureWolverine(opts => opts.LocalQueueFor<CheckCarePlanReview>().UseDurableInbox());
        return builder;
    }
}
