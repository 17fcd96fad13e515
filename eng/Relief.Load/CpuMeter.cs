using System.Globalization;

namespace Relief.Load;

/// <summary>
/// CPU time (user + system, from <c>/proc/&lt;pid&gt;/stat</c>) spent by the service and by the
/// PostgreSQL cluster between two readings: the postmaster, its live children, and the children it
/// has reaped (a backend whose connection closed in between counts still, with all it spent).
/// Throughput on a shared machine moves with whatever else runs; the CPU a request costs does not,
/// so each run prints it next to its rate.
/// </summary>
public sealed class CpuMeter(int servicePid, int postmasterPid)
{
    /// <summary>Clock ticks per second of <c>/proc</c>'s times (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public readonly record struct Reading(double Service, double Postgres)
    {
        /// <summary>The CPU spent between an earlier reading and this one.</summary>
        public Reading Since(Reading before) => new(Service - before.Service, Postgres - before.Postgres);
    }

    public Reading Read() => new(Seconds(servicePid), postmasterPid > 0 ? PostgresSeconds() : double.NaN);

    private double PostgresSeconds()
    {
        var total = Stat(postmasterPid) is { } postmaster ? postmaster.Seconds + postmaster.ReapedSeconds : double.NaN;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == postmasterPid) continue;
            if (Stat(pid) is { } stat && stat.ParentPid == postmasterPid) total += stat.Seconds;
        }

        return total;
    }

    private static double Seconds(int pid) => pid > 0 && Stat(pid) is { } stat ? stat.Seconds : double.NaN;

    private static (int ParentPid, double Seconds, double ReapedSeconds)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // After the command name in parentheses: state, ppid, ... utime (14th field), stime (15th),
            // and the reaped children's cutime (16th) and cstime (17th).
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), (Field(14) + Field(15)) / TicksPerSecond,
                (Field(16) + Field(17)) / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
