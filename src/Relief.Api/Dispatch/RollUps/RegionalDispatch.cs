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
public sealed record CountyLeftOut(string County, string Name, LeftOutReason Reason, string Detail);

/// <summary>
/// The weekly dispatch of a region (a city, a province): every figure added up over the region's
/// counties (<c>totals</c>) and each county's figures side by side (<c>counties</c>), as each county's own
/// report has them; the counts of the two lists (<c>overdueCases</c>, <c>householdsWithoutAgreement</c>) and no
/// line of them: figures only, no person. <c>asOf</c> is the date asked for (the week as known at the end of
/// that day, China time), null for the week as it stands. <c>complete</c> is false when a county of the region
/// is in <c>leftOut</c>: the totals are then those of the counties read, never a silent partial sum.
/// </summary>
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
