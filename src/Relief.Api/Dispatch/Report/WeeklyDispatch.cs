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
