namespace Relief.Api.Demo;

/// <summary>
/// The clock of a demo run: the demo sets it to each simulated day, so that everything the API
/// stamps with "now" (registration instants, "not in the future" checks) happens in 2020.
/// </summary>
public sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}
