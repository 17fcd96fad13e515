using Npgsql;

namespace Relief.Api.Tests.Support;

/// <summary>
/// Databases beside the shared test database, on the same private cluster, for hosts of their own
/// (several counties, a county registry, a migration): named, created or made afresh, and queried.
/// </summary>
public static class TestDatabases
{
    /// <summary>The connection string of the test database's name followed by <c>_</c> and <paramref name="suffix"/>.</summary>
    public static string Named(string suffix)
    {
        var builder = new NpgsqlConnectionStringBuilder(AppFixture.ConnectionString);
        builder.Database = $"{builder.Database}_{suffix}";
        return builder.ConnectionString;
    }

    public static string NameOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    /// <summary>Creates the database unless it exists.</summary>
    public static async Task Create(string connectionString)
    {
        await using var connection = await Maintenance(connectionString);
        await using var exists = new NpgsqlCommand("select exists (select 1 from pg_database where datname = $1)", connection);
        exists.Parameters.AddWithValue(NameOf(connectionString));
        if ((bool)(await exists.ExecuteScalarAsync())!) return;
        await using var create = new NpgsqlCommand($"create database \"{NameOf(connectionString)}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the database (whoever is connected) and creates it empty.</summary>
    public static async Task Recreate(string connectionString)
    {
        await using var connection = await Maintenance(connectionString);
        await using (var drop = new NpgsqlCommand($"drop database if exists \"{NameOf(connectionString)}\" with (force)", connection))
            await drop.ExecuteNonQueryAsync();
        await using var create = new NpgsqlCommand($"create database \"{NameOf(connectionString)}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Makes <paramref name="target"/> a copy of <paramref name="source"/> (as an operator's
    /// <c>pg_dump | pg_restore</c> would): PostgreSQL copies a database only while nobody is connected
    /// to it, so the sessions on the source are ended first, again on each try (a host reconnects).
    /// </summary>
    public static async Task Copy(string source, string target)
    {
        await using var connection = await Maintenance(target);
        await using (var drop = new NpgsqlCommand($"drop database if exists \"{NameOf(target)}\" with (force)", connection))
            await drop.ExecuteNonQueryAsync();
        for (var attempt = 1; ; attempt++)
        {
            await using (var end = new NpgsqlCommand("select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = $1", connection))
            {
                end.Parameters.AddWithValue(NameOf(source));
                await end.ExecuteScalarAsync();
            }

            try
            {
                await using var copy = new NpgsqlCommand($"create database \"{NameOf(target)}\" template \"{NameOf(source)}\"", connection);
                await copy.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == "55006" && attempt < 20)
            {
                // "source database is being accessed by other users": a session came back in between.
            }
        }
    }

    /// <summary>Runs a scalar query in the database.</summary>
    public static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<NpgsqlConnection> Maintenance(string connectionString)
    {
        // Creating and dropping databases waits on the cluster (a checkpoint, other sessions): minutes on a busy machine.
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false, CommandTimeout = 300 };
        var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
