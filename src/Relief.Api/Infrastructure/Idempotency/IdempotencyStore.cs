using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Relief.Api.Infrastructure.Idempotency;

/// <summary>A stored first response to a request made with an Idempotency-Key.</summary>
public sealed record StoredResponse(string Fingerprint, int Status, Dictionary<string, string[]> Headers, byte[] Body);

/// <summary>
/// The table of idempotency keys, per caller. All statements run on the request's transaction.
/// </summary>
public sealed class IdempotencyStore(string schema)
{
    private readonly string _table = $"{schema}.idempotency_keys";

    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, "idempotency_keys", SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("caller").AsPrimaryKey();
        table.AddColumn<string>("key").AsPrimaryKey();
        table.AddColumn<string>("fingerprint").NotNull();
        table.AddColumn<int>("status").NotNull();
        table.AddColumn("headers", "jsonb").NotNull();
        table.AddColumn("body", "bytea").NotNull();
        table.AddColumn("created_at", "timestamptz").NotNull();
        table.AddColumn("expires_at", "timestamptz").NotNull();
        return table;
    }

    /// <summary>
    /// Takes the key for this transaction and reads what is stored under it, in one round trip.
    /// <c>Locked</c> is false when another request holds the key right now; then nothing was read.
    /// </summary>
    public async Task<(bool Locked, StoredResponse? Stored)> TryTake(NpgsqlTransaction tx, string caller, string key,
        DateTimeOffset now, CancellationToken token)
    {
        await using var batch = new NpgsqlBatch(tx.Connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("select pg_try_advisory_xact_lock(hashtextextended($1, 7))")
                {
                    Parameters = { new NpgsqlParameter { Value = caller + "\n" + key } },
                },
                new NpgsqlBatchCommand(
                    $"select fingerprint, status, headers::text, body from {_table} where caller = $1 and key = $2 and expires_at > $3")
                {
                    Parameters = { new NpgsqlParameter { Value = caller }, new NpgsqlParameter { Value = key }, new NpgsqlParameter { Value = now } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(token);
        await reader.ReadAsync(token);
        if (!reader.GetBoolean(0)) return (false, null);

        await reader.NextResultAsync(token);
        if (!await reader.ReadAsync(token)) return (true, null);

        var headers = JsonSerializer.Deserialize<Dictionary<string, string[]>>(reader.GetString(2)) ?? [];
        return (true, new StoredResponse(reader.GetString(0), reader.GetInt32(1), headers, (byte[])reader.GetValue(3)));
    }

    /// <summary>
    /// Stores the response under the key and commits the request's transaction, in one round trip:
    /// the insert and the <c>COMMIT</c> go in one batch. Either both hold or, when the insert or the
    /// commit fails, nothing of the request does (PostgreSQL rolls the transaction back and this throws),
    /// as with a separate commit; Npgsql sees the transaction ended and does not send it again.
    /// </summary>
    public async Task SaveAndCommit(NpgsqlTransaction tx, string caller, string key, StoredResponse response,
        DateTimeOffset now, TimeSpan retention, CancellationToken token)
    {
        var save = new NpgsqlBatchCommand(
            $"""
             insert into {_table} (caller, key, fingerprint, status, headers, body, created_at, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)
             on conflict (caller, key) do update set fingerprint = excluded.fingerprint, status = excluded.status,
               headers = excluded.headers, body = excluded.body, created_at = excluded.created_at,
               expires_at = excluded.expires_at
             """)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = caller },
                new NpgsqlParameter { Value = key },
                new NpgsqlParameter { Value = response.Fingerprint },
                new NpgsqlParameter { Value = response.Status },
                new NpgsqlParameter { Value = JsonSerializer.Serialize(response.Headers), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new NpgsqlParameter { Value = response.Body },
                new NpgsqlParameter { Value = now },
                new NpgsqlParameter { Value = now + retention },
            },
        };
        await using var batch = new NpgsqlBatch(tx.Connection, tx) { BatchCommands = { save, new NpgsqlBatchCommand("commit") } };
        await batch.ExecuteNonQueryAsync(token);
    }

    /// <summary>Forgets keys past their retention.</summary>
    public async Task<int> DeleteExpired(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken token)
    {
        await using var command = dataSource.CreateCommand($"delete from {_table} where expires_at <= $1");
        command.Parameters.AddWithValue(now);
        return await command.ExecuteNonQueryAsync(token);
    }
}
