using Relief.Api.Dispatch.Engine;
using Relief.Core.Calendar;

namespace Relief.Api.Dispatch.Report;

/// <summary>
/// The stored weekly dispatch report of one ISO week (weeks in China Standard Time): every figure at
/// the end of the week with its change during the week, for the county and each township, and how
/// many items each list shows at the week's end (<see cref="DispatchLists"/>; the items themselves are
/// <see cref="DispatchItem"/> documents, read a page at a time). Written only by
/// <see cref="WeeklyDispatchProjection"/>.
/// </summary>
public sealed class WeeklyDispatch
{
    /// <summary>The ISO week, e.g. <c>2020-W40</c>.</summary>
    public string Id { get; set; } = "";

    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public Dictionary<string, Figure> County { get; set; } = [];
    public Dictionary<string, Dictionary<string, Figure>> Townships { get; set; } = [];

    /// <summary>The sequence of the latest event that changed this week's figures or lists.</summary>
    public long LastSequence { get; set; }

    public static WeeklyDispatch Empty(IsoWeek week) => new() { Id = week.ToString(), From = week.Monday, To = week.Sunday };

    /// <summary>The next week as it starts: the same values, no change yet.</summary>
    public WeeklyDispatch Next()
    {
        var next = Empty(IsoWeek.Parse(Id).Next());
        next.County = County.ToDictionary(f => f.Key, f => new Figure { Value = f.Value.Value });
        next.Townships = Townships.ToDictionary(t => t.Key,
            t => t.Value.ToDictionary(f => f.Key, f => new Figure { Value = f.Value.Value }));
        next.LastSequence = LastSequence;
        return next;
    }

    public Figure FigureOf(string? township, string metric)
    {
        var figures = township is null ? County : Townships.TryGetValue(township, out var t) ? t : Townships[township] = [];
        return figures.TryGetValue(metric, out var figure) ? figure : figures[metric] = new Figure();
    }
}

/// <summary>A figure: its value at the end of the week and its net change during the week.</summary>
public sealed class Figure
{
    public int Value { get; set; }
    public int Change { get; set; }
}

/// <summary>
/// The projection's bookkeeping, one document: the range of weeks written so far, the last event
/// counted, and the changes dated after the latest week (an agreement that ends next year), kept
/// until the weeks they fall in are written.
/// </summary>
public sealed class DispatchHorizon
{
    public const string TheId = "county";

    public string Id { get; set; } = TheId;
    public long LastSequence { get; set; }
    public string? FirstWeek { get; set; }
    public string? LastWeek { get; set; }
    public List<PendingCount> PendingCounts { get; set; } = [];
}

/// <summary>A change to a figure dated in a week not written yet.</summary>
public sealed record PendingCount(string Week, string? Township, string Metric, int Delta);

/// <summary>
/// The county's figures of one week as they stood at the end of a China day (<see cref="KnownOn"/>),
/// written by <see cref="WeeklyDispatchProjection"/> for every day on which events changing the week
/// were recorded. The week as known on a day is its latest revision up to that day: the city's and
/// province's roll-ups read it as known on a date without counting any event again. Figures only: no
/// list line, no name. Id: <c>{week}@{yyyy-MM-dd}</c>.
/// </summary>
public sealed class WeeklyDispatchRevision
{
    public string Id { get; set; } = "";
    public string Week { get; set; } = "";
    public DateOnly KnownOn { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }

    /// <summary>The sequence of the latest event that had changed the week by then.</summary>
    public long LastSequence { get; set; }

    public Dictionary<string, Figure> County { get; set; } = [];

    public static string IdOf(string week, DateOnly knownOn) =>
        $"{week}@{knownOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The week's county figures as they stand now (copied: the week goes on changing).</summary>
    public static WeeklyDispatchRevision Of(WeeklyDispatch week, DateOnly knownOn) => new()
    {
        Id = IdOf(week.Id, knownOn), Week = week.Id, KnownOn = knownOn, From = week.From, To = week.To, LastSequence = week.LastSequence,
        County = week.County.ToDictionary(f => f.Key, f => new Figure { Value = f.Value.Value, Change = f.Value.Change }),
    };
}
