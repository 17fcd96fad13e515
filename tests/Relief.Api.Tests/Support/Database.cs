using System.Diagnostics;
using System.Globalization;

namespace Relief.Api.Tests.Support;

/// <summary>The test database as an operator or an attacker with a backup would see it.</summary>
public static class Database
{
    /// <summary>A full data-only <c>pg_dump</c> of the test database, as text.</summary>
    public static async Task<string> Dump()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(AppFixture.ConnectionString);
        var pgDump = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending()
            .Select(d => Path.Combine(d, "bin", "pg_dump")).First(File.Exists);
        var start = new ProcessStartInfo(pgDump,
            ["--data-only", "--host", builder.Host!, "--port", builder.Port.ToString(CultureInfo.InvariantCulture), "--username", builder.Username!, builder.Database!])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
