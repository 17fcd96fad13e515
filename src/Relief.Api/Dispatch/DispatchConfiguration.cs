using JasperFx.Events.Projections;
using Marten;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.Report;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Supervision;

namespace Relief.Api.Dispatch;

public static class DispatchConfiguration
{
    /// <summary>
    /// The weekly dispatch report: async (a cross-stream view), reading archived events too, and
    /// torn down to nothing before a rebuild (its week documents, its bookkeeping and its subjects).
    /// </summary>
    public static StoreOptions ConfigureDispatch(this StoreOptions opts, EvaluationSchedule schedule)
    {
        var registered = opts.Projections.All.ToList();
        opts.Projections.Add(new WeeklyDispatchProjection(schedule), ProjectionLifecycle.Async, "WeeklyDispatch", o =>
        {
            o.BatchSize = ReliefStore.LargePage;
            o.DeleteViewTypeOnTeardown<WeeklyDispatch>();
            o.DeleteViewTypeOnTeardown<WeeklyDispatchRevision>();
            o.DeleteViewTypeOnTeardown<DispatchHorizon>();
            o.DeleteViewTypeOnTeardown<DispatchItem>();
            o.DeleteViewTypeOnTeardown<DispatchHousehold>();
            o.DeleteViewTypeOnTeardown<DispatchCentre>();
            o.DeleteViewTypeOnTeardown<DispatchFamily>();
            o.DeleteViewTypeOnTeardown<DispatchCase>();
            o.DeleteViewTypeOnTeardown<DispatchTrainee>();
            o.DeleteViewTypeOnTeardown<DispatchRound>();
        });
        // Closed households' streams are archived; their events still happened and still count.
        foreach (var source in opts.Projections.All.Except(registered).OfType<IEventFilterable>()) source.IncludeArchivedEvents = true;

        opts.Schema.For<WeeklyDispatch>().Index(x => x.From);
        // A week as known on a day: its latest revision up to that day (the roll-ups' asOf).
        opts.Schema.For<WeeklyDispatchRevision>().Index(x => x.Week);
        opts.Schema.For<DispatchHorizon>();
        // One document per list item (its key is its id); a week's page of a list is read in SQL.
        opts.Schema.For<DispatchItem>().Identity(x => x.Key);
        opts.Schema.For<DispatchHousehold>();
        opts.Schema.For<DispatchCentre>();
        opts.Schema.For<DispatchFamily>();
        opts.Schema.For<DispatchCase>();
        opts.Schema.For<DispatchTrainee>();
        opts.Schema.For<DispatchRound>();
        return opts;
    }
}
