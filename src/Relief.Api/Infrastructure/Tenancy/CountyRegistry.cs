using System.Text.Json;
using Marten;
using Marten.Storage;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Security;
using JasperFx;
using Wolverine.Runtime;
using Wolverine.Persistence.Durability;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>
/// <c>Relief:CountyRegistry</c>: the counties are data, held in <c>ConnectionStrings:Marten</c> (the
/// registry's master database, also Wolverine's main database), and added or retired while every
/// node serves.
/// </summary>
public sealed class CountyRegistryOptions
{
    public const string Section = "Relief:CountyRegistry";

    public bool Enabled { get; set; }

    /// <summary>The county of a credential that names none; none set: such a credential is refused (403).</summary>
    public string? DefaultCounty { get; set; }

    /// <summary>How often a node reads the registry again, to see what another node added or retired.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A county in the registry, as the admin route and command show it (never its connection string: it may hold a password).</summary>
public sealed record RegisteredCounty(
    string Code,
    string Name,
    string Database,
    IReadOnlyList<Township> Townships,
    DateTimeOffset? AddedAt,
    DateTimeOffset? RetiredAt,
    string? RetiredBecause,
    CountyMove? Move = null) : OpenApi.IHasExample<RegisteredCounty>
{
    public static RegisteredCounty Example { get; } = new("410825", "温县", "db.example:5432/relief_410825",
        [new Township("wenquan", "温泉街道")], new DateTimeOffset(2020, 11, 2, 8, 0, 0, TimeSpan.Zero), null, null);
}

/// <summary>
/// A move under way: since when the county's database is read-only, and the database it goes to
/// (<c>host:port/database</c>). Null when the county is not moving.
/// </summary>
public sealed record CountyMove(string To, DateTimeOffset Since);

/// <summary>
/// The county registry: Marten's master-table tenancy (<c>relief.mt_tenant_databases</c>, the county
/// code being the tenant id and its connection string naming its server and database) and, beside
/// it, Relief's own row per county (<c>relief.county_registry</c>: its name, its townships, when it
/// was added and retired). Adding a county applies its schema (Marten's and Wolverine's) to its
/// database alone; the node that adds it serves it at once, the others when a caller first names it.
/// </summary>
public sealed class CountyRegistry(IDocumentStore store, NpgsqlDataSource main, Counties counties, IServiceProvider services)
{
    /// <summary>Relief's table of counties, in the master database, beside Marten's.</summary>
    public const string Table = ReliefStore.Schema + ".county_registry";

    private const string MartenTable = ReliefStore.Schema + ".mt_tenant_databases";

    private const string Ddl = $"""
        create schema if not exists {ReliefStore.Schema};
        create table if not exists {Table} (
            code varchar(6) primary key,
            name text not null,
            townships jsonb not null default '[]',
            added_at timestamptz not null,
            retired_at timestamptz,
            retired_because text);
        alter table {Table} add column if not exists moving_to text;
        alter table {Table} add column if not exists moving_since timestamptz;
        """;

    private static readonly JsonSerializerOptions TownshipJson = new(JsonSerializerDefaults.Web);

    private MasterTableTenancy Tenancy =>
        store.Options.Tenancy as MasterTableTenancy
        ?? throw new InvalidOperationException($"The county registry is off: set {CountyRegistryOptions.Section}:Enabled.");

    public async Task<IReadOnlyList<RegisteredCounty>> ListAsync(CancellationToken token)
    {
        if (!counties.IsRegistry) return [];
        await Tenancy.BuildDatabases();
        return await ReadAsync(main, token);
    }

    public async Task<RegisteredCounty?> FindAsync(string code, CancellationToken token) =>
        (await ListAsync(token)).FirstOrDefault(c => c.Code == code);

    /// <summary>
    /// Why a county cannot be added as asked (null: it can): its code is registered already, its
    /// database is another county's or the master database, or cannot be reached.
    /// </summary>
    public async Task<string?> RefusalToAdd(string code, string connectionString, CancellationToken token)
    {
        if (!counties.IsRegistry) return null;
        if (await FindAsync(code, token) is not null) return $"County {code} is in the registry already.";
        var where = Where(connectionString);
        if (where == Where(main.ConnectionString)) return $"{where} is the registry's own database; a county needs a database of its own.";
        var taken = (await ListAsync(token)).FirstOrDefault(c => c.Database == where);
        if (taken is not null) return $"{where} is county {taken.Code}'s database.";

        try
        {
            var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 10 };
            await using var connection = new NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync(token);
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            return $"{where} cannot be reached ({e.Message.Split('\n')[0]}). Relief does not create databases: create it first (createdb).";
        }

        return null;
    }

    /// <summary>
    /// Registers the county in Marten's master table, applies the schema to its database alone
    /// (Marten's, Relief's own tables, Wolverine's), then records it in Relief's table: from then on
    /// this node serves it. A failure takes the county out of Marten's table again.
    /// </summary>
    public async Task<RegisteredCounty> AddAsync(string code, string name, string connectionString,
        IReadOnlyList<Township> townships, DateTimeOffset now, CancellationToken token)
    {
        var tenancy = Tenancy;
        await tenancy.BuildDatabases();
        await EnsureTableAsync(main, token);
        await tenancy.AddTenantAsync(code, ReliefStore.Tuned(connectionString));
        try
        {
            var tenant = await tenancy.GetTenantAsync(code);
            await tenant.Database.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate, ct: token);
            // The tenanted stores, not runtime.Storage: in the counties command the host is built but not
            // started, and Storage is then still the main database's store alone.
            foreach (var messages in services.GetRequiredService<IWolverineRuntime>().Stores.MultiTenanted)
            {
                var countyMessages = await messages.Source.FindAsync(code);
                // Whatever AutoCreate says (None in production): adding a county is the explicit setup of its database.
                await countyMessages.Admin.MigrateAsync(AutoCreate.CreateOrUpdate);
            }

            await using var insert = main.CreateCommand(
                $"insert into {Table} (code, name, townships, added_at) values ($1, $2, $3::jsonb, $4)");
            insert.Parameters.AddWithValue(code);
            insert.Parameters.AddWithValue(name);
            insert.Parameters.AddWithValue(JsonSerializer.Serialize(townships, TownshipJson));
            insert.Parameters.AddWithValue(now);
            await insert.ExecuteNonQueryAsync(token);
        }
        catch
        {
            await tenancy.RemoveTenantAsync(code);
            throw;
        }

        await counties.RefreshAsync(token);
        return (await FindAsync(code, token))!;
    }

    /// <summary>
    /// Retires a county: it refuses every write from then on (this node at once, the others within
    /// <see cref="CountyRegistryOptions.RefreshInterval"/>); its database, data and reads are kept.
    /// </summary>
    public async Task<RegisteredCounty> RetireAsync(string code, string reason, DateTimeOffset now, CancellationToken token)
    {
        await using var update = main.CreateCommand(
            $"update {Table} set retired_at = $2, retired_because = $3 where code = $1 and retired_at is null");
        update.Parameters.AddWithValue(code);
        update.Parameters.AddWithValue(now);
        update.Parameters.AddWithValue(reason);
        await update.ExecuteNonQueryAsync(token);
        await counties.RefreshAsync(token);
        return (await FindAsync(code, token))!;
    }

    /// <summary>
    /// Why the county cannot start a move to <paramref name="target"/> (null: it can): it is not in
    /// the registry, is retired or moving already, or the target is its own database, the registry's
    /// or another county's. The target need not exist yet: it is the copy made after the freeze.
    /// </summary>
    public async Task<string?> RefusalToMove(string code, string target, CancellationToken token)
    {
        var county = await FindAsync(code, token);
        if (county is null) return $"County {code} is not in the registry.";
        if (county.RetiredAt is not null) return $"County {code} was retired on {county.RetiredAt:O}.";
        if (county.Move is not null) return $"County {code} is moving to {county.Move.To} since {county.Move.Since:O}: complete or cancel that move first.";
        var where = Where(target);
        if (where == county.Database) return $"{where} is county {code}'s database already.";
        if (where == Where(main.ConnectionString)) return $"{where} is the registry's own database; a county needs a database of its own.";
        var taken = (await ListAsync(token)).FirstOrDefault(c => c.Database == where || c.Move?.To == where);
        return taken is null ? null : $"{where} is county {taken.Code}'s database.";
    }

    /// <summary>
    /// Starts moving a county's database to another server: records where it goes, makes its database
    /// read-only (<c>default_transaction_read_only</c>, for every session of every node) and ends the
    /// sessions open on it, so that no write lands there after this returns. Writes are then refused
    /// 503 <c>county-read-only</c> on every node, reads go on. The copy is the operator's
    /// (<c>pg_dump | pg_restore</c>); <see cref="CompleteMoveAsync"/> checks it and switches.
    /// </summary>
    public async Task<RegisteredCounty> StartMoveAsync(string code, string target, DateTimeOffset now, CancellationToken token)
    {
        await using (var record = main.CreateCommand(
                         $"update {Table} set moving_to = $2, moving_since = $3 where code = $1 and moving_to is null"))
        {
            record.Parameters.AddWithValue(code);
            record.Parameters.AddWithValue(target);
            record.Parameters.AddWithValue(now);
            await record.ExecuteNonQueryAsync(token);
        }

        var source = await SourceOf(code, token);
        await SetReadOnly(source, on: true, token);
        await EndSessions(source, token);
        return (await FindAsync(code, token))!;
    }

    /// <summary>
    /// Why a started move cannot complete (null: it can): the copy cannot be reached, or it does not
    /// hold exactly the frozen database's events (their number, the last sequence, a digest of every
    /// event's id in order) and streams.
    /// </summary>
    public async Task<string?> RefusalToComplete(string code, CancellationToken token)
    {
        var county = await FindAsync(code, token);
        if (county is null) return $"County {code} is not in the registry.";
        if (county.Move is null) return $"County {code} is not moving.";
        var target = await TargetOf(code, token);
        string copied;
        try
        {
            await using var copy = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target) { Pooling = false, Timeout = 10 }.ConnectionString);
            await copy.OpenAsync(token);
            copied = await Fingerprint(copy, token);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return $"{Where(target)} cannot be reached or holds no Relief store ({e.Message.Split('\n')[0]}). Copy the county's database there first.";
        }

        // A fresh session: the copy's tool may have ended the pooled ones (it needs the database to itself).
        var source = await SourceOf(code, token);
        source.Clear();
        await using var frozen = await source.OpenConnectionAsync(token);
        var original = await Fingerprint(frozen, token);
        return copied == original
            ? null
            : $"{Where(target)} does not hold the frozen database's events and streams ({copied}; the county's: {original}). Copy it again.";
    }

    /// <summary>
    /// Completes a move whose copy was checked (<see cref="RefusalToComplete"/>): the copy is made
    /// writable and Marten's master table names it. Each node serves the county from its new database
    /// once restarted (a rolling restart): until then it reads the old one, whose data is the same, and
    /// refuses writes. Marten and Wolverine keep each county's database and message store by county, and
    /// neither can be pointed at a new database while running. The old database stays, read-only.
    /// </summary>
    public async Task<RegisteredCounty> CompleteMoveAsync(string code, CancellationToken token)
    {
        var target = await TargetOf(code, token);
        await using (var copy = new NpgsqlDataSourceBuilder(target).Build())
        {
            await SetReadOnly(copy, on: false, token);
        }

        await Tenancy.AddDatabaseRecordAsync(code, ReliefStore.Tuned(target));
        await using (var done = main.CreateCommand($"update {Table} set moving_to = null, moving_since = null where code = $1"))
        {
            done.Parameters.AddWithValue(code);
            await done.ExecuteNonQueryAsync(token);
        }

        return (await FindAsync(code, token))!;
    }

    /// <summary>
    /// Cancels a started move: the county's database is writable again where it was (its sessions,
    /// opened read-only during the freeze, are ended so that every node opens writable ones).
    /// </summary>
    public async Task<RegisteredCounty> CancelMoveAsync(string code, CancellationToken token)
    {
        var source = await SourceOf(code, token);
        await SetReadOnly(source, on: false, token);
        await EndSessions(source, token);
        await using (var undo = main.CreateCommand($"update {Table} set moving_to = null, moving_since = null where code = $1"))
        {
            undo.Parameters.AddWithValue(code);
            await undo.ExecuteNonQueryAsync(token);
        }

        return (await FindAsync(code, token))!;
    }

    private async Task<NpgsqlDataSource> SourceOf(string code, CancellationToken token) =>
        (await counties.FindAsync(code, token))?.DataSource ?? throw new InvalidOperationException($"County {code} is not served here.");

    private async Task<string> TargetOf(string code, CancellationToken token)
    {
        await using var read = main.CreateCommand($"select moving_to from {Table} where code = $1");
        read.Parameters.AddWithValue(code);
        return await read.ExecuteScalarAsync(token) as string ?? throw new InvalidOperationException($"County {code} is not moving.");
    }

    /// <summary>Ends every other session on the database (every node's), and empties this node's pool of it.</summary>
    private static async Task EndSessions(NpgsqlDataSource database, CancellationToken token)
    {
        await using (var end = database.CreateCommand(
                         "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"))
        {
            await end.ExecuteScalarAsync(token);
        }

        database.Clear();
    }

    /// <summary>Sets or resets the database's <c>default_transaction_read_only</c> (sessions opened from then on).</summary>
    private static async Task SetReadOnly(NpgsqlDataSource database, bool on, CancellationToken token)
    {
        await using var connection = await database.OpenConnectionAsync(token);
        await using var name = new NpgsqlCommand("select current_database()", connection);
        var quoted = "\"" + ((string)(await name.ExecuteScalarAsync(token))!).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        // This session may itself have opened read-only (during the freeze): make it writable first,
        // in a statement of its own (one batch is one transaction, read-only from its start).
        await using (var writable = new NpgsqlCommand("set default_transaction_read_only = off", connection))
            await writable.ExecuteNonQueryAsync(token);
        await using var set = new NpgsqlCommand(
            on ? $"alter database {quoted} set default_transaction_read_only = on" : $"alter database {quoted} reset default_transaction_read_only",
            connection);
        await set.ExecuteNonQueryAsync(token);
    }

    /// <summary>What a copy must equal: the events' number, last sequence and id digest, and the streams' number.</summary>
    private static async Task<string> Fingerprint(NpgsqlConnection connection, CancellationToken token)
    {
        await using var command = new NpgsqlCommand($"""
            select count(*) || ' events, last ' || coalesce(max(seq_id), 0) || ', digest ' || md5(coalesce(string_agg(id::text, ',' order by seq_id), ''))
                   || ', ' || (select count(*) from {ReliefStore.Schema}.mt_streams) || ' streams'
            from {ReliefStore.Schema}.mt_events
            """, connection);
        return (string)(await command.ExecuteScalarAsync(token))!;
    }

    /// <summary>The registry's counties, read from Marten's master table and Relief's table beside it.</summary>
    internal static async Task<IReadOnlyList<RegisteredCounty>> ReadAsync(NpgsqlDataSource main, CancellationToken token)
    {
        await EnsureTableAsync(main, token);
        await using var command = main.CreateCommand($"""
            select r.code, r.name, t.connection_string, r.townships::text, r.added_at, r.retired_at, r.retired_because,
                   r.moving_to, r.moving_since
            from {Table} r join {MartenTable} t on t.tenant_id = r.code
            where not t.disabled
            order by r.code
            """);
        var list = new List<RegisteredCounty>();
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token))
        {
            list.Add(new RegisteredCounty(
                reader.GetString(0),
                reader.GetString(1),
                Where(reader.GetString(2)),
                JsonSerializer.Deserialize<List<Township>>(reader.GetString(3), TownshipJson) ?? [],
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : new CountyMove(Where(reader.GetString(7)), reader.GetFieldValue<DateTimeOffset>(8))));
        }

        return list;
    }

    /// <summary>Relief's table is created whatever <c>AutoCreateSchemaObjects</c> says, as Marten's master table is.</summary>
    private static async Task EnsureTableAsync(NpgsqlDataSource main, CancellationToken token)
    {
        await using var command = main.CreateCommand(Ddl);
        await command.ExecuteNonQueryAsync(token);
    }

    /// <summary>A database as shown and compared: <c>host:port/database</c>.</summary>
    public static string Where(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}

/// <summary>Reads the registry at start and every <see cref="CountyRegistryOptions.RefreshInterval"/>: what other nodes added or retired.</summary>
public sealed partial class CountyRegistryRefresh(Counties counties, IConfiguration configuration, ILogger<CountyRegistryRefresh> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetSection(CountyRegistryOptions.Section).Get<CountyRegistryOptions>()?.RefreshInterval
                       ?? TimeSpan.FromSeconds(30);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await counties.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                NotRefreshed(logger, e);
            }

            await Task.Delay(interval, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Warning, Message = "Could not read the county registry; will retry")]
    private static partial void NotRefreshed(ILogger logger, Exception exception);
}
