using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Relief.Api.Tests.Operations;

/// <summary>
/// The restore drill of docs/operations.md, run for real: data recorded through the API and the async
/// projections caught up (the weekly dispatch report), backed up with eng/backup (pg_dump), restored
/// with eng/restore into a fresh database, and compared with the original row for row. The
/// comparison is generic, every event and every document table of the relief schema, so read
/// models added later are covered without changing this test.
/// </summary>
public sealed class BackupRestoreDrillTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_backup_restored_into_a_fresh_database_holds_every_event_and_document_of_the_original()
    {
        // A bit of everything: households, an agreement with its caregiver family, a centre with a
        // resident, a policy case. Whatever modules exist write their read models.
        await Api.CaredForHousehold();
        var centre = await Api.CentreWithBeds(2);
        await Api.Admitted(centre, await Api.EligiblePerson(sequence: 3));
        await Api.FamilyWithLoanIntent();
        // The weekly dispatch report is an async projection: build it now, so that it is in the
        // backup and nothing changes the original while the two are compared.
        await Api.ProjectionsCaughtUp();
        await Api.AuditChainCaughtUp();

        var original = new NpgsqlConnectionStringBuilder(AppFixture.ConnectionString);
        var drill = new NpgsqlConnectionStringBuilder(AppFixture.ConnectionString) { Database = original.Database + "_drill" };
        var dump = Path.Combine(Path.GetTempPath(), $"relief-drill-{Guid.NewGuid():N}.dump");
        try
        {
            await Run("eng/backup", original, "--db", original.Database!, dump);
            await Run("eng/restore", original, dump, "--db", drill.Database!, "--replace");

            var before = await Snapshot(original.ConnectionString);
            var after = await Snapshot(drill.ConnectionString);

            Assert.Contains("relief.mt_events", before.Keys);
            Assert.True(before["relief.mt_events"].Count > 10, "the drill needs events to compare");
            Assert.Contains(before.Keys, t => t.StartsWith("relief.mt_doc_", StringComparison.Ordinal));
            Assert.NotEmpty(before["relief.mt_doc_weeklydispatch"]);
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            foreach (var (table, rows) in before)
            {
                Assert.True(rows.SequenceEqual(after[table]), $"{table} differs after the restore");
            }

            // The hash chain verifies on the restored database, to the same final hash as the original's.
            await using var restored = NpgsqlDataSource.Create(drill.ConnectionString);
            await using var source = NpgsqlDataSource.Create(original.ConnectionString);
            var restoredChain = await Relief.Api.Audit.Chain.ChainVerifier.VerifyAsync(restored, CancellationToken.None);
            var originalChain = await Relief.Api.Audit.Chain.ChainVerifier.VerifyAsync(source, CancellationToken.None);
            Assert.True(restoredChain.Valid, restoredChain.Problem);
            Assert.Equal(0, restoredChain.Pending);
            Assert.Equal(before["relief.mt_events"].Count, restoredChain.Checked);
            Assert.Equal(originalChain.FinalHash, restoredChain.FinalHash);
        }
        finally
        {
            File.Delete(dump);
            File.Delete(dump + ".sha256");
        }
    }

    /// <summary>
    /// Every event (sequence, stream, version, type, data, metadata), every stream, every row of
    /// every document table (the weekly dispatch report's weeks among them), and where the event
    /// sequence stands: one ordered list of JSON rows per table.
    /// Wolverine's envelopes and the daemon's progress are left out: the running test host may move them.
    /// </summary>
    private static async Task<Dictionary<string, List<string>>> Snapshot(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var tables = new List<string>();
        await using (var list = dataSource.CreateCommand(
                         "select table_name from information_schema.tables where table_schema = 'relief' and table_type = 'BASE TABLE' " +
                         "and (table_name like 'mt_doc_%' or table_name in ('mt_events', 'mt_streams')) order by table_name"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        var snapshot = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            var order = table == "mt_events" ? "t.seq_id" : "t.id";
            snapshot["relief." + table] = await Rows(dataSource, $"select row_to_json(t)::text from relief.{table} t order by {order}");
        }

        snapshot["relief.mt_events_sequence"] = await Rows(dataSource, "select last_value::text from relief.mt_events_sequence");
        return snapshot;
    }

    private static async Task<List<string>> Rows(NpgsqlDataSource dataSource, string sql)
    {
        var rows = new List<string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>Runs an eng/ script against the test database's server (libpq variables).</summary>
    private static async Task Run(string script, NpgsqlConnectionStringBuilder server, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), script), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGHOST"] = server.Host;
        start.Environment["PGPORT"] = server.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = server.Username;
        if (!string.IsNullOrEmpty(server.Password)) start.Environment["PGPASSWORD"] = server.Password;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{script} exited {process.ExitCode}:\n{await output}\n{await errors}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Relief.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Relief.sln not found above " + AppContext.BaseDirectory);
    }
}
