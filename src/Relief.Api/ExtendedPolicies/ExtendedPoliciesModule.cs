using Marten;
using Relief.Api.ExtendedPolicies.Deadlines;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Api.Infrastructure.Http;
using Wolverine;

namespace Relief.Api.ExtendedPolicies;

/// <summary>The eight extended policies (八延伸): policy cases and training, their store, the streams their routes name, the service times and the durable queue of the case deadlines.</summary>
public static class ExtendedPoliciesModule
{
    public static IHostApplicationBuilder AddExtendedPolicies(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.ConfigureExtendedPolicies().ConfigureTraining());
        builder.Services.AddStreamRoute(PolicyCaseRules.Stream);
        builder.Services.AddStreamRoute(TrainingRules.Stream);
        // The service times (Relief:PolicyCases:ServiceDays), and a durable local queue for the deadline
        // checks: a scheduled check is stored in PostgreSQL with the event that started the stage.
        builder.Services.AddSingleton(ServiceTimes.From(builder.Configuration));
        builder.Services.ConfigureWolverine(opts => opts.LocalQueueFor<CheckCaseDeadline>().UseDurableInbox());
        return builder;
    }
}
