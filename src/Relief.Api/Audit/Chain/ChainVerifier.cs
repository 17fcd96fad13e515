using System.Data;
using Npgsql;
using Relief.Core.Audit;

namespace Relief.Api.Audit.Chain;

/// <summary>
/// The outcome of recomputing the chain: <c>valid</c> when every stored event up to the last
/// chained one hashes to its stored link; otherwise the first sequence where it does not (an event
/// altered, removed, or inserted after it was chained). <c>pending</c> events are stored but not
/// chained yet (the async daemon has not reached them).
/// </summary>
public sealed record ChainVerification(
    bool Valid, long? FirstBrokenSequence, long Checked, long? LastChainedSequence, string FinalHash, long Pending, string? Problem);

/// <summary>Recomputes the hash chain from the stored events, streaming (constant memory).</summary>
public static class ChainVerifier
{
    public static async Task<ChainVerification> VerifyAsync(NpgsqlDataSource dataSource, CancellationToken token)
    {
        var chain = $"{Infrastructure.Persistence.ReliefStore.Schema}.{AuditChainProjection.ChainTable}";
        await using var connection = await dataSource.OpenConnectionAsync(token);
        long? lastChained;
        long pending;
        await using (var head = new NpgsqlCommand(
                         $"select (select max(seq_id) from {chain}), " +
                         $"(select count(*) from {StoredEvents.Table} where seq_id > coalesce((select max(seq_id) from {chain}), 0))",
                         connection))
        await using (var reader = await head.ExecuteReaderAsync(token))
        {
            await reader.ReadAsync(token);
            lastChained = reader.IsDBNull(0) ? null : reader.GetInt64(0);
            pending = reader.GetInt64(1);
        }

        var previous = HashChain.Genesis;
        long checkedCount = 0;
        if (lastChained is null) return new ChainVerification(true, null, 0, null, previous, pending, null);

        await using var command = new NpgsqlCommand(
            $"select coalesce(e.seq_id, c.seq_id), c.seq_id is not null, c.hash, e.seq_id is not null, {StoredEvents.Columns} " +
            $"from {StoredEvents.Table} e full outer join {chain} c on c.seq_id = e.seq_id " +
            "where coalesce(e.seq_id, c.seq_id) <= $1 order by 1", connection);
        command.Parameters.AddWithValue(lastChained.Value);
        await using var rows = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, token);
        while (await rows.ReadAsync(token))
        {
            var sequence = rows.GetInt64(0);
            var linked = rows.GetBoolean(1);
            var storedHash = rows.IsDBNull(2) ? null : rows.GetString(2);
            var stored = rows.GetBoolean(3);
            if (!stored) return Broken(sequence, "the event was chained but is no longer stored");
            var e = StoredEvents.Read(rows, 4);
            if (!linked) return Broken(sequence, "the event is stored but was never chained (inserted afterwards)");
            var hash = HashChain.Next(previous, e.Chained);
            if (hash != storedHash) return Broken(sequence, "the event does not hash to its link: it was altered after it was chained");
            previous = hash;
            checkedCount++;
        }

        return new ChainVerification(true, null, checkedCount, lastChained, previous, pending, null);

        ChainVerification Broken(long sequence, string why) =>
            new(false, sequence, checkedCount, lastChained, previous, pending, why);
    }
}
