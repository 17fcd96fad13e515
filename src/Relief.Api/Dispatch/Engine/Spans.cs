namespace Relief.Api.Dispatch.Engine;

/// <summary>
/// One thing counted in a figure of the report for a span of days: from <c>From</c> until the day
/// before <c>Until</c> (open-ended when null), <c>Weight</c> times (a household's happiness index in the
/// points of the index; once for everything else). A span with no township counts for the county only.
/// </summary>
public sealed record Span(string Metric, string? Township, DateOnly From, DateOnly? Until, int Weight = 1)
{
    public bool IsEmpty => Until is { } until && until <= From;
}

/// <summary>Which list of the report an item belongs to.</summary>
public enum DispatchList
{
    /// <summary>A policy case past the due date of its stage, and still in it.</summary>
    OverdueCase,
    /// <summary>A household without an agreement in force.</summary>
    HouseholdWithoutAgreement,
}

/// <summary>The report's lists: each week counts the items it shows under a figure of its own, never printed as one.</summary>
public static class DispatchLists
{
    public const string OverdueCases = "listed:overdueCases";
    public const string HouseholdsWithoutAgreement = "listed:householdsWithoutAgreement";

    public static string MetricOf(DispatchList list) => list switch
    {
        DispatchList.OverdueCase => OverdueCases,
        DispatchList.HouseholdWithoutAgreement => HouseholdsWithoutAgreement,
        _ => throw new ArgumentOutOfRangeException(nameof(list), list, "a list the report does not know"),
    };

    /// <summary>The day a list is ordered by: the due date of an overdue case (most overdue first), the first day of the others (longest first).</summary>
    public static DateOnly SortDay(DispatchItem item) => item.DueOn ?? item.From;
}

/// <summary>
/// An entry of one of the report's lists, while it holds (from <c>From</c> until the day before
/// <c>Until</c>). <c>Key</c> names it across weeks, and is its id as a stored document: one document
/// per item, shown in every written week whose last day it holds on. No name is stored in clear:
/// <c>Label</c> is the label without it, and <c>Name</c> the head's name sealed as in the events,
/// which the report's routes open and append when they read the item (<c>[erased]</c> once erased).
/// </summary>
public sealed record DispatchItem(
    string Key,
    DispatchList List,
    Guid SubjectId,
    string Township,
    string Label,
    DateOnly From,
    DateOnly? Until,
    string? Policy = null,
    string? Stage = null,
    DateOnly? DueOn = null,
    Relief.Core.Protection.ProtectedValue? Name = null)
{
    public bool HoldsOn(DateOnly day) => From <= day && (Until is null || day < Until);
}

/// <summary>What an entity contributes to the report: its spans and its list items.</summary>
public sealed record Contribution(IReadOnlyList<Span> Spans, IReadOnlyList<DispatchItem> Items)
{
    public static readonly Contribution None = new([], []);
}

/// <summary>Day spans as the figures need them: unions, intersections, gaps.</summary>
public static class Days
{
    /// <summary>The day after <paramref name="lastDay"/>: the exclusive end of a span whose last day is given.</summary>
    public static DateOnly? After(DateOnly? lastDay) => lastDay?.AddDays(1);

    /// <summary>The earlier of two exclusive ends, null meaning open-ended.</summary>
    public static DateOnly? Earlier(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>The union of spans as ordered, disjoint spans (adjacent spans merge).</summary>
    public static IReadOnlyList<(DateOnly From, DateOnly? Until)> Union(IEnumerable<(DateOnly From, DateOnly? Until)> spans)
    {
        var merged = new List<(DateOnly From, DateOnly? Until)>();
        foreach (var span in spans.Where(s => s.Until is null || s.Until > s.From).OrderBy(s => s.From))
        {
            if (merged.Count > 0 && (merged[^1].Until is null || merged[^1].Until >= span.From))
            {
                var last = merged[^1];
                merged[^1] = (last.From, last.Until is null || span.Until is null ? null : last.Until > span.Until ? last.Until : span.Until);
            }
            else merged.Add(span);
        }

        return merged;
    }

    /// <summary>The spans clipped to [from, until).</summary>
    public static IReadOnlyList<(DateOnly From, DateOnly? Until)> Within(
        IEnumerable<(DateOnly From, DateOnly? Until)> spans, DateOnly from, DateOnly? until) =>
        spans.Select(s => (From: s.From > from ? s.From : from, Until: Earlier(s.Until, until)))
            .Where(s => s.Until is null || s.Until > s.From)
            .ToList();

    /// <summary>The days of [from, until) that none of the (ordered, disjoint) spans covers.</summary>
    public static IReadOnlyList<(DateOnly From, DateOnly? Until)> Gaps(
        IReadOnlyList<(DateOnly From, DateOnly? Until)> covered, DateOnly from, DateOnly? until)
    {
        var gaps = new List<(DateOnly From, DateOnly? Until)>();
        DateOnly? cursor = from;
        foreach (var span in covered)
        {
            if (cursor is null) break;
            if (span.From > cursor) gaps.Add((cursor.Value, until is { } u && u < span.From ? u : span.From));
            cursor = span.Until is null ? null : span.Until > cursor ? span.Until : cursor;
        }

        if (cursor is { } rest && (until is null || rest < until)) gaps.Add((rest, until));
        return gaps.Where(g => g.Until is null || g.Until > g.From).ToList();
    }
}
