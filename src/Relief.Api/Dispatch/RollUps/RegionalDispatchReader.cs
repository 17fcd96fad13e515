using Marten;
using Relief.Api.Dispatch.Report;
using Relief.Api.Infrastructure.Tenancy;
using Relief.Core.Calendar;

namespace Relief.Api.Dispatch.RollUps;

/// <summary>How a roll-up reads its counties (<c>Relief:RollUps</c>).</summary>
public sealed class RollUpOptions
{
    public const string Section = "Relief:RollUps";

    /// <summary>How many counties' databases are read at once (a province has 100-odd counties on several servers).</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>How long one county's read may take before the county is left out as unreachable.</summary>
    public TimeSpan CountyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public static RollUpOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<RollUpOptions>() ?? new RollUpOptions();
        if (options.Concurrency < 1) throw new InvalidOperationException($"{Section}:Concurrency must be at least 1.");
        if (options.CountyTimeout <= TimeSpan.Zero) throw new InvalidOperationException($"{Section}:CountyTimeout must be positive.");
        return options;
    }
}

/// <summary>
/// Reads the week of each county of a region from that county's own report projection, a few counties at
/// a time (<see cref="RollUpOptions.Concurrency"/>): the stored <see cref="WeeklyDispatch"/> of the week, or,
/// as known on a date, the week's latest <see cref="WeeklyDispatchRevision"/> up to that date. One indexed
/// read per county; no event is read. A county whose database fails or does not answer within
/// <see cref="RollUpOptions.CountyTimeout"/> is left out as <see cref="LeftOutReason.Unreachable"/> (and logged),
/// never failing the others.
/// </summary>
public sealed partial class RegionalDispatchReader(Counties counties, RollUpOptions options, ILogger<RegionalDispatchReader> logger)
{
    /// <summary>Every county of the region, in code order: the served ones read, the named ones not served left out.</summary>
    public async Task<IReadOnlyList<CountyRead>> ReadAsync(Region region, IsoWeek week, DateOnly? asOf,
        CancellationToken token)
    {
        if (counties.IsRegistry) await counties.RefreshAsync(token);
        var served = counties.In(region);
        var reads = new CountyRead[served.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, served.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = token },
            async (i, ct) => reads[i] = await ReadAsync(served[i], week, asOf, ct));
        var notServed = region.NamedCounties.Where(code => served.All(c => c.Code != code))
            .Select(code => CountyRead.Missing(code, code, false, LeftOutReason.NotServed, $"County {code} is not served by this Relief."));
        return [.. reads.Concat(notServed).OrderBy(r => r.Code, StringComparer.Ordinal)];
    }

    /// <summary>One county's week (a county's read is bounded by the timeout; the caller's cancellation still cancels all).</summary>
    public async Task<CountyRead> ReadAsync(County county, IsoWeek week, DateOnly? asOf, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(options.CountyTimeout);
        try
        {
            await using var session = counties.QuerySession(county);
            if (asOf is { } day)
            {
                var id = week.ToString();
                var revision = await session.Query<WeeklyDispatchRevision>()
                    .Where(r => r.Week == id && r.KnownOn <= day)
                    .OrderByDescending(r => r.KnownOn)
                    .FirstOrDefaultAsync(timeout.Token);
                return revision is null
                    ? NoReport(county, $"By the end of {day:yyyy-MM-dd} county {county.Code} had recorded nothing dated in {week} or later.")
                    : CountyRead.Of(county, revision.County, revision.LastSequence, revision.KnownOn);
            }

            var doc = await session.LoadAsync<WeeklyDispatch>(week.ToString(), timeout.Token);
            return doc is null
                ? NoReport(county, $"County {county.Code} has recorded nothing dated in {week} or later.")
                : CountyRead.Of(county, doc.County, doc.LastSequence, null);
        }
        catch (Exception e) when (!token.IsCancellationRequested && e is not OutOfMemoryException)
        {
            // The county is named in the answer, whatever failed: its database, its network, its timeout.
            LogUnreachable(logger, e, county.Code);
            var why = timeout.IsCancellationRequested
                ? $"did not answer within {options.CountyTimeout.TotalSeconds:0.#} s"
                : $"could not be read ({e.GetType().Name})";
            return CountyRead.Missing(county.Code, county.Name, county.Retired, LeftOutReason.Unreachable,
                $"County {county.Code}'s database {why}; the totals leave it out.");
        }
    }

    private static CountyRead NoReport(County county, string detail) =>
        CountyRead.Missing(county.Code, county.Name, county.Retired, LeftOutReason.NoReport, detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Roll-up: county {County} could not be read and is left out")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string county);
}
