using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.Report;
using Relief.Api.Infrastructure.Tenancy;
using Relief.Core.Calendar;

namespace Relief.Api.Dispatch.RollUps;

/// <summary>Why a county of the region is not in a roll-up's totals.</summary>
public enum LeftOutReason
{
    /// <summary>Its database did not answer (down, refusing connections, or slower than the per-county timeout).</summary>
    Unreachable,

    /// <summary>It has no report of the week (as known on the date asked): nothing dated in the week or later was recorded there (by then).</summary>
    NoReport,

    /// <summary>The credential's region names it, and this Relief does not serve it.</summary>
    NotServed,
}

/// <summary>One county's figures of the week, side by side with the others': exactly its own report's county figures.</summary>
/// <param name="County">The county's six-digit administrative code (410823).</param>
/// <param name="Name">The county's name (武陟县), as configured or registered.</param>
/// <param name="Retired">Whether the county is retired from the registry (its records are still read).</param>
/// <param name="LastChangedBy">The sequence, in the county's own event store, of the latest event that had changed the week.</param>
/// <param name="KnownOn">As known on a date: the day of the county's revision read (on or before the date asked); null for the week as it stands.</param>
/// <param name="Figures">Every figure of the county's week (value at the week's end, change during it), as its own report's <c>county</c>.</param>
/// <param name="OverdueCases">How many policy cases the county's overdue list shows at the week's end (the count only).</param>
/// <param name="HouseholdsWithoutAgreement">How many households the county's list without an agreement shows at the week's end (the count only).</param>
public sealed record CountyWeek(
    string County,
    string Name,
    bool Retired,
    long LastChangedBy,
    DateOnly? KnownOn,
    IReadOnlyDictionary<string, FigureValue> Figures,
    int OverdueCases,
    int HouseholdsWithoutAgreement);

/// <summary>A county of the region left out of the totals, and why (<see cref="LeftOutReason"/>).</summary>
/// <param name="County">The county's six-digit code.</param>
/// <param name="Name">The county's name (its code when this Relief does not serve it).</param>
/// <param name="Reason">Why it is left out: Unreachable, NoReport or NotServed.</param>
/// <param name="Detail">What happened, in English.</param>
public sealed record CountyLeftOut(string County, string Name, LeftOutReason Reason, string Detail);

/// <summary>
/// The weekly dispatch of a region (a city, a province): every figure added up over the region's
/// counties (<c>totals</c>) and each county's figures side by side (<c>counties</c>), as each county's own
/// report has them; the counts of the two lists (<c>overdueCases</c>, <c>householdsWithoutAgreement</c>) and no
/// line of them: figures only, no person. <c>asOf</c> is the date asked for (the week as known at the end of
/// that day, China time), null for the week as it stands. <c>complete</c> is false when a county of the region
/// is in <c>leftOut</c>: the totals are then those of the counties read, never a silent partial sum.
/// </summary>
/// <param name="Region">The caller's region as its credential names it (41, 4108, or county codes).</param>
/// <param name="Week">The ISO week, e.g. 2020-W40.</param>
/// <param name="From">The week's Monday.</param>
/// <param name="To">The week's Sunday.</param>
/// <param name="AsOf">The date asked for (the week as known at the end of that day, China time); null for the week as it stands.</param>
/// <param name="Complete">False when a county of the region is left out of the totals (see leftOut).</param>
/// <param name="Totals">Every figure added up over the counties read (the happiness index: the mean over every surveyed household of them).</param>
/// <param name="OverdueCases">The counties' overdue lists, counted together.</param>
/// <param name="HouseholdsWithoutAgreement">The counties' lists of households without an agreement, counted together.</param>
/// <param name="Counties">Each county read, in code order, with its own figures.</param>
/// <param name="LeftOut">Each county of the region not in the totals, and why.</param>
public sealed record RegionalDispatchReport(
    string Region,
    string Week,
    DateOnly From,
    DateOnly To,
    DateOnly? AsOf,
    bool Complete,
    IReadOnlyDictionary<string, FigureValue> Totals,
    int OverdueCases,
    int HouseholdsWithoutAgreement,
    IReadOnlyList<CountyWeek> Counties,
    IReadOnlyList<CountyLeftOut> LeftOut)
{
    public const string Route = "/api/region/weekly-dispatch";

    /// <summary>
    /// The roll-up of what was read from each county. Totals add up the counties' stored figures, so the
    /// happiness index of the region is the mean over all the region's surveyed households (not a mean of
    /// the counties' means); every other total is the sum of the counties' figures.
    /// </summary>
    public static RegionalDispatchReport Of(Region region, IsoWeek week, DateOnly? asOf, IReadOnlyList<CountyRead> reads)
    {
        var read = reads.Where(r => r.Figures is not null).ToList();
        var summed = new Dictionary<string, Figure>(StringComparer.Ordinal);
        foreach (var (metric, figure) in read.SelectMany(r => r.Figures!))
        {
            var total = summed.TryGetValue(metric, out var known) ? known : summed[metric] = new Figure();
            total.Value += figure.Value;
            total.Change += figure.Change;
        }

        static int Listed(IReadOnlyDictionary<string, Figure>? figures, string metric) => figures?.GetValueOrDefault(metric)?.Value ?? 0;
        var counties = read.Select(r => new CountyWeek(r.Code, r.Name, r.Retired, r.LastSequence, r.KnownOn,
            WeeklyDispatchReport.FiguresOf(r.Figures), Listed(r.Figures, DispatchLists.OverdueCases),
            Listed(r.Figures, DispatchLists.HouseholdsWithoutAgreement))).ToList();
        var leftOut = reads.Where(r => r.Figures is null).Select(r => new CountyLeftOut(r.Code, r.Name, r.LeftOut!.Value, r.Detail ?? "")).ToList();
        return new RegionalDispatchReport(region.Code, week.ToString(), week.Monday, week.Sunday, asOf, leftOut.Count == 0,
            WeeklyDispatchReport.FiguresOf(summed), Listed(summed, DispatchLists.OverdueCases), Listed(summed, DispatchLists.HouseholdsWithoutAgreement),
            counties, leftOut);
    }
}

/// <summary>
/// What was read of one county: its stored county figures of the week (with the lists' counts), or why
/// there are none (<see cref="LeftOut"/>, <see cref="Detail"/>).
/// </summary>
public sealed record CountyRead(
    string Code,
    string Name,
    bool Retired,
    IReadOnlyDictionary<string, Figure>? Figures,
    long LastSequence = 0,
    DateOnly? KnownOn = null,
    LeftOutReason? LeftOut = null,
    string? Detail = null)
{
    public static CountyRead Of(County county, IReadOnlyDictionary<string, Figure> figures, long lastSequence, DateOnly? knownOn) =>
        new(county.Code, county.Name, county.Retired, figures, lastSequence, knownOn);

    public static CountyRead Missing(string code, string name, bool retired, LeftOutReason reason, string detail) =>
        new(code, name, retired, null, LeftOut: reason, Detail: detail);
}
