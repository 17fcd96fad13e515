using System.Data.Common;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Relief.Api.Audit.Chain;

/// <summary>
/// Where a verification found the chain intact: its last chained sequence and the hash there, when,
/// by whom, whether it started from the genesis (<c>Full</c>), and from which position it resumed.
/// </summary>
public sealed record VerifiedPosition(
    long Sequence, string Hash, DateTimeOffset VerifiedAt, string VerifiedBy, bool Full, long CheckedFrom, long EntriesChecked);

/// <summary>
/// The positions verifications found intact, in <c>relief.audit_verifications</c>: append-only (a
/// trigger refuses every update and delete), never emptied by a rebuild of the chain, so that a
/// chain rewritten after a verification no longer holds the hash verified then. The next
/// verification resumes from the furthest one.
/// </summary>
public static class VerifiedPositions
{
    public const string TableName = "audit_verifications";

    private static string Table => $"{ReliefStore.Schema}.{TableName}";

    /// <summary>The table, then the trigger that keeps it append-only.</summary>
    public static IEnumerable<ISchemaObject> SchemaObjects()
    {
        var table = new Table(new PostgresqlObjectName(ReliefStore.Schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<long>("last_sequence").NotNull();
        table.AddColumn<string>("hash").NotNull();
        table.AddColumn("verified_at", "timestamptz").NotNull();
        table.AddColumn<string>("verified_by").NotNull();
        table.AddColumn<bool>("full_verification").NotNull();
        table.AddColumn<long>("checked_from").NotNull();
        table.AddColumn<long>("entries_checked").NotNull();
        yield return table;
        yield return new AppendOnlyTrigger();
    }

    /// <summary>The furthest position found intact, or null when nothing was verified yet.</summary>
    public static async Task<VerifiedPosition?> LatestAsync(NpgsqlConnection connection, CancellationToken token)
    {
        await using var command = new NpgsqlCommand(
            "select last_sequence, hash, verified_at, verified_by, full_verification, checked_from, entries_checked " +
            $"from {Table} order by last_sequence desc, verified_at desc limit 1", connection);
        await using var reader = await command.ExecuteReaderAsync(token);
        if (!await reader.ReadAsync(token)) return null;
        return new VerifiedPosition(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetString(3), reader.GetBoolean(4), reader.GetInt64(5), reader.GetInt64(6));
    }

    public static async Task RecordAsync(NpgsqlConnection connection, VerifiedPosition position, CancellationToken token)
    {
        await using var command = new NpgsqlCommand(
            $"insert into {Table} (id, last_sequence, hash, verified_at, verified_by, full_verification, checked_from, entries_checked) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8)", connection);
        command.Parameters.AddWithValue(Guid.CreateVersion7(position.VerifiedAt));
        command.Parameters.AddWithValue(position.Sequence);
        command.Parameters.AddWithValue(position.Hash);
        command.Parameters.AddWithValue(position.VerifiedAt.ToUniversalTime());
        command.Parameters.AddWithValue(position.VerifiedBy);
        command.Parameters.AddWithValue(position.Full);
        command.Parameters.AddWithValue(position.CheckedFrom);
        command.Parameters.AddWithValue(position.EntriesChecked);
        await command.ExecuteNonQueryAsync(token);
    }

    /// <summary>A row-level trigger refusing <c>update</c> and <c>delete</c> on the table (idempotent).</summary>
    private sealed class AppendOnlyTrigger : ISchemaObject
    {
        private const string Name = "audit_verifications_append_only";

        public DbObjectName Identifier { get; } = new PostgresqlObjectName(ReliefStore.Schema, Name, SchemaUtils.IdentifierUsage.General);

        public void WriteCreateStatement(Migrator migrator, TextWriter writer)
        {
            writer.WriteLine($"create or replace function {ReliefStore.Schema}.{Name}() returns trigger language plpgsql as $$");
            writer.WriteLine("begin");
            writer.WriteLine($"  raise exception '{Table} is append-only: % refused', tg_op;");
            writer.WriteLine("end $$;");
            writer.WriteLine($"create or replace trigger {Name} before update or delete on {Table} " +
                             $"for each row execute function {ReliefStore.Schema}.{Name}();");
        }

        public void WriteDropStatement(Migrator rules, TextWriter writer)
        {
            writer.WriteLine($"drop trigger if exists {Name} on {Table};");
            writer.WriteLine($"drop function if exists {ReliefStore.Schema}.{Name}();");
        }

        // Weasel runs the objects' queries as one command: this one ends its own statement.
        public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
            builder.Append("select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid " +
                           "join pg_namespace n on n.oid = c.relnamespace " +
                           $"where n.nspname = '{ReliefStore.Schema}' and c.relname = '{TableName}' and t.tgname = '{Name}';");

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
        {
            var exists = await reader.ReadAsync(ct) && await reader.GetFieldValueAsync<long>(0, ct) > 0;
            return new SchemaObjectDelta(this, exists ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
        }

        public IEnumerable<DbObjectName> AllNames()
        {
            yield return Identifier;
        }
    }
}
