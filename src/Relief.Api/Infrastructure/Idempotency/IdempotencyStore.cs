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

    public async Task Save(NpgsqlTransaction tx, string caller, string key, StoredResponse response,
        DateTimeOffset now, TimeSpan retention, CancellationToken token)
    {
        await using var command = new NpgsqlCommand(
            $"""
             insert into {_table} (caller, key, fingerprint, status, headers, body, created_at, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)
             on conflict (caller, key) do update set fingerprint = excluded.fingerprint, status = excluded.status,
               headers = excluded.headers, body = excluded.body, created_at = excluded.created_at,
               expires_at = excluded.expires_at
             """, tx.Connection, tx);
        command.Parameters.AddWithValue(caller);
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(response.Fingerprint);
        command.Parameters.AddWithValue(response.Status);
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(response.Headers), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.AddWithValue(response.Body);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(now + retention);
        await command.ExecuteNonQueryAsync(token);
    }

    /// <summary>Forgets keys past their retention.</summary>
    public async Task<int> DeleteExpired(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken token)
    {
        await using var command = dataSource.CreateCommand($"delete from {_table} where expires_at <= $1");
        command.Parameters.AddWithValue(now);
        return await command.ExecuteNonQueryAsync(token);
    }
}
