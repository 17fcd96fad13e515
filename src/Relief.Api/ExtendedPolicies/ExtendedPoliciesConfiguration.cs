using JasperFx.Events.Projections;
using Marten;
using Relief.Api.ExtendedPolicies.Deadlines;
using Wolverine;

namespace Relief.Api.ExtendedPolicies;

public static class ExtendedPoliciesConfiguration
{
    public static StoreOptions ConfigureExtendedPolicies(this StoreOptions opts)
    {
        opts.Projections.Add<PolicyCaseDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<PolicyCaseDetails>()
            .Index(x => x.Township)
            .Index(x => x.CaregiverFamilyId)
            .Index(x => x.HouseholdId)
            // One open case per family (or household) and policy: the loser of two concurrent openings
            // is refused here (409 case-already-open via UniqueConflictMiddleware). Closed cases hold null.
            .UniqueIndex(x => x.OpenKey!);
        return opts;
    }

    /// <summary>
    /// The service times (<see cref="ServiceTimes"/>, configuration <c>Relief:PolicyCases:ServiceDays</c>)
    /// and a durable local queue for <see cref="CheckCaseDeadline"/>: a scheduled check is stored in
    /// PostgreSQL with the event that started the stage, and survives a restart.
    /// </summary>
    public static WolverineOptions ConfigureExtendedPolicies(this WolverineOptions opts, IConfiguration configuration)
    {
        opts.Services.AddSingleton(ServiceTimes.From(configuration));
        opts.LocalQueueFor<CheckCaseDeadline>().UseDurableInbox();
        return opts;
    }
}
