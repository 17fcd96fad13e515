using JasperFx.Events;
using Marten;
using Marten.Events.Archiving;
using Marten.Services.BatchQuerying;
using Relief.Api.Dispatch.Report;

namespace Relief.Api.Dispatch.Engine;

/// <summary>
/// Where the weekly dispatch projection keeps its documents: Marten inside the daemon, or memory
/// when an auditor asks for a report as it stood at an instant (<c>?asKnownAt=</c>).
/// </summary>
public interface IDispatchStore
{
    Task<T?> LoadAsync<T>(Guid id, CancellationToken token) where T : class;
    Task<IReadOnlyList<T>> LoadManyAsync<T>(IReadOnlyList<Guid> ids, CancellationToken token) where T : class;
    Task<IReadOnlyList<WeeklyDispatch>> LoadWeeksAsync(IReadOnlyList<string> ids, CancellationToken token);

    /// <summary>Loads asked for together, answered when <see cref="IDispatchLoads.SendAsync"/> is awaited: a page's in one round trip.</summary>
    IDispatchLoads Loads();
    void Store<T>(T document) where T : class;

    /// <summary>A list item that no longer holds as it was stored.</summary>
    void DeleteItem(string key);

    /// <summary>
    /// Stored events by their sequences (archived or not), in sequence order: the one a correction
    /// voids, or a subject's, to fold it again.
    /// </summary>
    Task<IReadOnlyList<IEvent>> EventsAsync(IReadOnlyList<long> sequences, CancellationToken token);
}

/// <summary>
/// What a page of events needs from the store, asked for before any of it is answered: the bookkeeping,
/// the weeks the page is likely to change, and the subjects its events name. Each task completes once
/// <see cref="SendAsync"/> has been awaited.
/// </summary>
public interface IDispatchLoads
{
    Task<DispatchHorizon?> Horizon();
    Task<IReadOnlyList<WeeklyDispatch>> Weeks(IReadOnlyList<string> ids);
    Task<IReadOnlyList<T>> Subjects<T>(IReadOnlyList<Guid> ids) where T : class;
    Task SendAsync(CancellationToken token);
}

/// <summary>The projection's documents in Marten, within the daemon's batch.</summary>
internal sealed class MartenDispatchStore(IDocumentOperations operations) : IDispatchStore
{
    public Task<T?> LoadAsync<T>(Guid id, CancellationToken token) where T : class => operations.LoadAsync<T>(id, token);

    public async Task<IReadOnlyList<T>> LoadManyAsync<T>(IReadOnlyList<Guid> ids, CancellationToken token) where T : class =>
        await operations.LoadManyAsync<T>(token, ids);

    public async Task<IReadOnlyList<WeeklyDispatch>> LoadWeeksAsync(IReadOnlyList<string> ids, CancellationToken token) =>
        await operations.LoadManyAsync<WeeklyDispatch>(token, ids);

    public IDispatchLoads Loads() => new BatchedLoads(operations.CreateBatchQuery());

    /// <summary>The loads as one Marten batched query: one round trip.</summary>
    private sealed class BatchedLoads(IBatchedQuery batch) : IDispatchLoads
    {
        public Task<DispatchHorizon?> Horizon() => batch.Load<DispatchHorizon>(DispatchHorizon.TheId);

        public Task<IReadOnlyList<WeeklyDispatch>> Weeks(IReadOnlyList<string> ids) => batch.LoadMany<WeeklyDispatch>().ByIdList(ids);

        public Task<IReadOnlyList<T>> Subjects<T>(IReadOnlyList<Guid> ids) where T : class => batch.LoadMany<T>().ByIdList(ids);

        public Task SendAsync(CancellationToken token) => batch.Execute(token);
    }

    public void Store<T>(T document) where T : class => operations.Store(document);

    public void DeleteItem(string key) => operations.Delete<DispatchItem>(key);

    public Task<IReadOnlyList<IEvent>> EventsAsync(IReadOnlyList<long> sequences, CancellationToken token) =>
        DispatchEvents.BySequence(operations.Events, sequences, token);
}

/// <summary>The events of the given sequences, archived or not, in sequence order (both stores read them from the database).</summary>
internal static class DispatchEvents
{
    public static async Task<IReadOnlyList<IEvent>> BySequence(Marten.Events.IQueryEventStore events, IReadOnlyList<long> sequences,
        CancellationToken token)
    {
        if (sequences.Count == 0) return [];
        var wanted = sequences.ToArray();
        return await events.QueryAllRawEvents().Where(e => e.MaybeArchived() && wanted.Contains(e.Sequence)).OrderBy(e => e.Sequence)
            .ToListAsync(token);
    }
}

/// <summary>
/// The projection's documents in memory: a report recomputed from the events, never stored. The
/// events themselves stay in the database: a correction's voided event is read from there.
/// </summary>
public sealed class MemoryDispatchStore(IQuerySession session) : IDispatchStore
{
    private readonly Dictionary<(Type, Guid), object> _subjects = [];
    private readonly Dictionary<string, WeeklyDispatch> _weeks = [];
    private readonly Dictionary<string, DispatchItem> _items = [];
    private DispatchHorizon? _horizon;

    public Task<IReadOnlyList<IEvent>> EventsAsync(IReadOnlyList<long> sequences, CancellationToken token) =>
        DispatchEvents.BySequence(session.Events, sequences, token);

    public Task<T?> LoadAsync<T>(Guid id, CancellationToken token) where T : class =>
        Task.FromResult(_subjects.TryGetValue((typeof(T), id), out var found) ? (T)found : null);

    public Task<IReadOnlyList<T>> LoadManyAsync<T>(IReadOnlyList<Guid> ids, CancellationToken token) where T : class =>
        Task.FromResult<IReadOnlyList<T>>(ids.Where(id => _subjects.ContainsKey((typeof(T), id))).Select(id => (T)_subjects[(typeof(T), id)]).ToList());

    public Task<IReadOnlyList<WeeklyDispatch>> LoadWeeksAsync(IReadOnlyList<string> ids, CancellationToken token) =>
        Task.FromResult<IReadOnlyList<WeeklyDispatch>>(ids.Where(_weeks.ContainsKey).Select(id => _weeks[id]).ToList());

    /// <summary>Memory answers each load at once.</summary>
    public IDispatchLoads Loads() => new Answered(this);

    private sealed class Answered(MemoryDispatchStore store) : IDispatchLoads
    {
        public Task<DispatchHorizon?> Horizon() => Task.FromResult(store._horizon);

        public Task<IReadOnlyList<WeeklyDispatch>> Weeks(IReadOnlyList<string> ids) => store.LoadWeeksAsync(ids, CancellationToken.None);

        public Task<IReadOnlyList<T>> Subjects<T>(IReadOnlyList<Guid> ids) where T : class => store.LoadManyAsync<T>(ids, CancellationToken.None);

        public Task SendAsync(CancellationToken token) => Task.CompletedTask;
    }

    public void Store<T>(T document) where T : class
    {
        switch (document)
        {
            case DispatchHorizon horizon: _horizon = horizon; break;
            case WeeklyDispatch week: _weeks[week.Id] = week; break;
            case DispatchItem item: _items[item.Key] = item; break;
            case DispatchHousehold s: _subjects[(typeof(DispatchHousehold), s.Id)] = s; break;
            case DispatchCentre s: _subjects[(typeof(DispatchCentre), s.Id)] = s; break;
            case DispatchFamily s: _subjects[(typeof(DispatchFamily), s.Id)] = s; break;
            case DispatchCase s: _subjects[(typeof(DispatchCase), s.Id)] = s; break;
            case DispatchTrainee s: _subjects[(typeof(DispatchTrainee), s.Id)] = s; break;
            case DispatchRound s: _subjects[(typeof(DispatchRound), s.Id)] = s; break;
            // A report recomputed at an instant is that instant's: it keeps no revisions of earlier days.
            case WeeklyDispatchRevision: break;
            default: throw new ArgumentException($"Not a document of the weekly dispatch: {typeof(T).Name}");
        }
    }

    public void DeleteItem(string key) => _items.Remove(key);

    public WeeklyDispatch? Week(string id) => _weeks.GetValueOrDefault(id);

    /// <summary>The items of a list a written week shows (those holding on its last day), in the order the report lists them.</summary>
    public IReadOnlyList<DispatchItem> Listed(WeeklyDispatch week, DispatchList list) =>
        _items.Values.Where(i => i.List == list && i.HoldsOn(week.To)).OrderBy(DispatchLists.SortDay).ThenBy(i => i.Township, StringComparer.Ordinal)
            .ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
}
