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

    /// <summary>Where the given texts occur in clear: in <c>mt_events</c> and in every <c>mt_doc_*</c> table (table: text).</summary>
    public static async Task<List<string>> InClear(params string[] texts)
    {
        var found = new List<string>();
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var tables = new List<string> { "relief.mt_events" };
        await using (var list = new Npgsql.NpgsqlCommand(
                         "select table_schema || '.' || table_name from information_schema.tables where table_name like 'mt_doc_%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        Assert.True(tables.Count > 20, $"only {tables.Count} tables found");
        foreach (var table in tables)
        {
            foreach (var text in texts)
            {
                await using var search = new Npgsql.NpgsqlCommand($"select count(*) from {table} t where t::text like $1", connection);
                search.Parameters.AddWithValue($"%{text}%");
                if ((long)(await search.ExecuteScalarAsync())! > 0) found.Add($"{table}: {text}");
            }
        }

        return found;
    }
}
