using Relief.Api.Dispatch.Report;
using Relief.Core.Calendar;

namespace Relief.Api.Dispatch.Engine;

/// <summary>
/// The week documents as the projection edits them within one batch of events: a change dated on
/// a day counts in that day's week (its <c>change</c>) and in the value of every later week already
/// written; a change dated after the latest week waits in <see cref="DispatchHorizon"/> until its
/// week is written. Weeks are written contiguously, from the earliest business date seen to the
/// latest one (never past the day the event was recorded).
/// </summary>
internal sealed class DispatchBook(IDispatchStore store, DispatchHorizon horizon)
{
    /// <summary>Dates before this count from it: the mechanism began in 2020; older dates are typing errors or history.</summary>
    public static readonly DateOnly Floor = new(2015, 1, 5);

    private readonly Dictionary<string, WeeklyDispatch> _weeks = [];
    private readonly HashSet<string> _changed = [];
    private readonly Dictionary<string, DispatchItem?> _items = [];

    /// <summary>The weeks whose figures changed since the last <see cref="Revise"/>.</summary>
    private readonly HashSet<string> _unrevised = [];

    private readonly Dictionary<string, WeeklyDispatchRevision> _revisions = [];

    public DispatchHorizon Horizon => horizon;

    /// <summary>The sequence of the event being counted: each week it changes remembers it.</summary>
    public long Sequence { get; set; }

    private IsoWeek? First => horizon.FirstWeek is null ? null : IsoWeek.Parse(horizon.FirstWeek);
    private IsoWeek? Last => horizon.LastWeek is null ? null : IsoWeek.Parse(horizon.LastWeek);

    /// <summary>The book as stored (<paramref name="horizon"/>, null before the first page), with the written weeks already loaded.</summary>
    public static DispatchBook Open(IDispatchStore store, DispatchHorizon? horizon, IEnumerable<WeeklyDispatch> loaded)
    {
        var book = new DispatchBook(store, horizon ?? new DispatchHorizon());
        foreach (var week in loaded) book._weeks[week.Id] = week;
        return book;
    }

    private static IsoWeek WeekOf(DateOnly day) => IsoWeek.Of(day < Floor ? Floor : day);

    /// <summary>Writes the weeks up to the one holding <paramref name="day"/>, carrying values forward.</summary>
    public async Task AdvanceToAsync(DateOnly day, CancellationToken token)
    {
        var target = WeekOf(day);
        WeeklyDispatch previous;
        if (Last is not { } last)
        {
            // The first week written is the earliest one anything was dated in.
            var start = horizon.PendingCounts.Select(p => IsoWeek.Parse(p.Week))
                .Append(target)
                .Min();
            previous = WeeklyDispatch.Empty(start);
            Put(previous);
            horizon.FirstWeek = horizon.LastWeek = start.ToString();
            ApplyPending(previous);
            last = start;
        }
        else
        {
            if (target <= last) return;
            previous = (await RangeAsync(last, last, token))[0];
        }

        for (var week = last.Next(); week <= target; week = week.Next())
        {
            var next = previous.Next();
            Put(next);
            horizon.LastWeek = week.ToString();
            ApplyPending(next);
            previous = next;
        }
    }

    /// <summary>A figure changes by <paramref name="delta"/> from <paramref name="day"/> on.</summary>
    public async Task CountAsync(string? township, string metric, DateOnly day, int delta, CancellationToken token, bool touch = true)
    {
        var week = WeekOf(day);
        township = string.IsNullOrEmpty(township) ? null : township;
        if (Last is not { } last || week > last)
        {
            horizon.PendingCounts.Add(new PendingCount(week.ToString(), township, metric, delta));
            return;
        }

        ExtendBack(week);
        var weeks = await RangeAsync(week, last, token);
        foreach (var scope in township is null ? [null] : new[] { township, null })
        {
            weeks[0].FigureOf(scope, metric).Change += delta;
            foreach (var doc in weeks) doc.FigureOf(scope, metric).Value += delta;
        }

        foreach (var doc in weeks) _unrevised.Add(doc.Id);

        if (touch)
        {
            foreach (var doc in weeks) Touch(doc);
        }
    }

    /// <summary>
    /// A list item is shown at the end of every week it holds on. The item is stored once, as its own
    /// document (the lists are read a page at a time); each week counts the items it shows, a count
    /// kept like a figure (+1 from the item's first day, -1 from its end) and touched only in the
    /// weeks the item shows in.
    /// </summary>
    public async Task AddAsync(DispatchItem item, CancellationToken token)
    {
        _items[item.Key] = item;
        await CountListedAsync(item, +1, token);
    }

    /// <summary>A list item no longer holds as it was: it leaves every week it was shown in.</summary>
    public async Task RemoveAsync(DispatchItem item, CancellationToken token)
    {
        _items[item.Key] = null;
        await CountListedAsync(item, -1, token);
    }

    private async Task CountListedAsync(DispatchItem item, int delta, CancellationToken token)
    {
        var metric = DispatchLists.MetricOf(item.List);
        await CountAsync(item.Township, metric, item.From, delta, token, touch: false);
        if (item.Until is { } until) await CountAsync(item.Township, metric, until, -delta, token, touch: false);
        var week = WeekOf(item.From);
        if (First is not { } first || Last is not { } last || week > last) return;
        foreach (var doc in await RangeAsync(week < first ? first : week, last, token))
        {
            if (item.HoldsOn(doc.To)) Touch(doc);
        }
    }

    /// <summary>
    /// The county's figures of every week changed since the last call, as they stand now, kept as the
    /// week's revision known on <paramref name="knownOn"/> (the China day the events counted since were
    /// recorded): a week as known on a day is its latest revision up to that day, read without counting
    /// the events again (the roll-ups' <c>asOf</c>). A later call for the same day replaces it.
    /// </summary>
    public void Revise(DateOnly knownOn)
    {
        foreach (var id in _unrevised)
        {
            var revision = WeeklyDispatchRevision.Of(_weeks[id], knownOn);
            _revisions[revision.Id] = revision;
        }

        _unrevised.Clear();
    }

    /// <summary>Queues every written week for storage, with the bookkeeping and the weeks' revisions.</summary>
    public void Store(long lastSequence)
    {
        horizon.LastSequence = lastSequence;
        horizon.PendingCounts = horizon.PendingCounts
            .GroupBy(p => (p.Week, p.Township, p.Metric))
            .Select(g => new PendingCount(g.Key.Week, g.Key.Township, g.Key.Metric, g.Sum(p => p.Delta)))
            .Where(p => p.Delta != 0)
            .ToList();
        store.Store(horizon);
        foreach (var id in _changed) store.Store(_weeks[id]);
        foreach (var revision in _revisions.Values) store.Store(revision);
        foreach (var (key, item) in _items)
        {
            if (item is null) store.DeleteItem(key);
            else store.Store(item);
        }
    }

    private void Put(WeeklyDispatch doc)
    {
        _weeks[doc.Id] = doc;
        Touch(doc);
    }

    /// <summary>
    /// Marks a week for storage, remembering the event that changed it: a week's document depends only
    /// on the events, never on how the daemon batched them, so a rebuild writes the same documents.
    /// </summary>
    private void Touch(WeeklyDispatch doc)
    {
        doc.LastSequence = Sequence;
        _changed.Add(doc.Id);
        _unrevised.Add(doc.Id);
    }

    /// <summary>Counts (list counts included) waiting for <paramref name="doc"/>'s week (values carry into later weeks as they are written).</summary>
    private void ApplyPending(WeeklyDispatch doc)
    {
        var week = IsoWeek.Parse(doc.Id);
        foreach (var pending in horizon.PendingCounts.Where(p => IsoWeek.Parse(p.Week) <= week).ToList())
        {
            foreach (var scope in pending.Township is null ? [null] : new[] { pending.Township, null })
            {
                var figure = doc.FigureOf(scope, pending.Metric);
                figure.Value += pending.Delta;
                if (pending.Week == doc.Id) figure.Change += pending.Delta;
            }

            horizon.PendingCounts.Remove(pending);
        }
    }

    /// <summary>Empty weeks before the first one written: nothing was counted before it.</summary>
    private void ExtendBack(IsoWeek week)
    {
        if (First is not { } first || week >= first) return;
        for (var w = week; w < first; w = w.Next()) Put(WeeklyDispatch.Empty(w));
        horizon.FirstWeek = week.ToString();
    }

    /// <summary>The written weeks from <paramref name="from"/> to <paramref name="to"/>, loaded once per batch.</summary>
    private async Task<List<WeeklyDispatch>> RangeAsync(IsoWeek from, IsoWeek to, CancellationToken token)
    {
        var ids = new List<string>();
        for (var w = from; w <= to; w = w.Next()) ids.Add(w.ToString());
        var missing = ids.Where(id => !_weeks.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var doc in await store.LoadWeeksAsync(missing, token)) _weeks[doc.Id] = doc;
        }

        return ids.Select(id => _weeks.TryGetValue(id, out var doc)
            ? doc
            : throw new InvalidOperationException($"Weekly dispatch {id} should have been written (weeks {horizon.FirstWeek}..{horizon.LastWeek}).")).ToList();
    }
}
