using System.Data;
using Npgsql;
using Relief.Core.Audit;

namespace Relief.Api.Audit.Chain;

/// <summary>
/// The outcome of recomputing the chain: <c>valid</c> when every stored event from
/// <c>checkedFrom</c> up to the last chained one hashes to its stored link; otherwise the first
/// sequence where it does not (an event altered, removed, or inserted after it was chained).
/// <c>checkedFrom</c> is the last position an earlier verification found intact, whose own link was
/// re-checked first (0: from the genesis, <c>full</c>); <c>checked</c> counts the entries hashed after
/// it. <c>pending</c> events are stored but not chained yet (the async daemon has not reached them).
/// </summary>
public sealed record ChainVerification(
    bool Valid, long? FirstBrokenSequence, long Checked, long? LastChainedSequence, string FinalHash, long Pending, string? Problem,
    long CheckedFrom, bool Full);

/// <summary>
/// Recomputes the hash chain from the stored events, streaming (constant memory): from the last
/// position a verification found intact (<see cref="VerifiedPositions"/>), or from the genesis when
/// <c>full</c> or when nothing was verified yet. A valid outcome that went further, or a full one, is
/// recorded as the next verification's starting point.
/// </summary>
public static class ChainVerifier
{
    private static string ChainTable => $"{Infrastructure.Persistence.ReliefStore.Schema}.{AuditChainProjection.ChainTable}";

    /// <summary>From the genesis, recording nothing: for a copy of the database (the restore drill).</summary>
    public static async Task<ChainVerification> VerifyAsync(NpgsqlDataSource dataSource, CancellationToken token)
    {
        await using var connection = await dataSource.OpenConnectionAsync(token);
        return await VerifyAsync(connection, null, token);
    }

    /// <summary>
    /// From the last verified position (re-checking its own link first), or from the genesis when
    /// <paramref name="full"/>; a valid outcome is recorded as verified by <paramref name="verifiedBy"/> at <paramref name="now"/>.
    /// </summary>
    public static async Task<ChainVerification> VerifyAsync(NpgsqlDataSource dataSource, bool full, string verifiedBy,
        DateTimeOffset now, CancellationToken token)
    {
        await using var connection = await dataSource.OpenConnectionAsync(token);
        var resume = full ? null : await VerifiedPositions.LatestAsync(connection, token);
        var result = await VerifyAsync(connection, resume, token);
        if (result.Valid && result.LastChainedSequence is { } last && (full || last > result.CheckedFrom))
        {
            await VerifiedPositions.RecordAsync(connection, new VerifiedPosition(last, result.FinalHash, now, verifiedBy, full,
                result.CheckedFrom, result.Checked), token);
        }

        return result;
    }

    private static async Task<ChainVerification> VerifyAsync(NpgsqlConnection connection, VerifiedPosition? resume, CancellationToken token)
    {
        long? lastChained;
        long pending;
        await using (var head = new NpgsqlCommand(
                         $"select (select max(seq_id) from {ChainTable}), " +
                         $"(select count(*) from {StoredEvents.Table} where seq_id > coalesce((select max(seq_id) from {ChainTable}), 0))",
                         connection))
        await using (var reader = await head.ExecuteReaderAsync(token))
        {
            await reader.ReadAsync(token);
            lastChained = reader.IsDBNull(0) ? null : reader.GetInt64(0);
            pending = reader.GetInt64(1);
        }

        var from = resume?.Sequence ?? 0;
        var previous = resume?.Hash ?? HashChain.Genesis;
        long checkedCount = 0;
        var full = resume is null;

        if (resume is not null)
        {
            if (lastChained is null || lastChained < resume.Sequence)
                return Broken(resume.Sequence, "the chain stops before the last verified position: it was cut, or is being rebuilt");
            if (await ResumeProblem(connection, resume, token) is { } problem) return Broken(resume.Sequence, problem);
        }

        if (lastChained is null) return new ChainVerification(true, null, 0, null, previous, pending, null, from, full);

        await using var command = new NpgsqlCommand(
            $"select coalesce(e.seq_id, c.seq_id), c.seq_id is not null, c.hash, e.seq_id is not null, {StoredEvents.Columns} " +
            $"from {StoredEvents.Table} e full outer join {ChainTable} c on c.seq_id = e.seq_id " +
            "where coalesce(e.seq_id, c.seq_id) > $1 and coalesce(e.seq_id, c.seq_id) <= $2 order by 1", connection);
        command.Parameters.AddWithValue(from);
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

        return new ChainVerification(true, null, checkedCount, lastChained, previous, pending, null, from, full);

        ChainVerification Broken(long sequence, string why) =>
            new(false, sequence, checkedCount, lastChained, previous, pending, why, from, full);
    }

    /// <summary>
    /// The last verified position still holds: the chain's link there is the hash verified then, and
    /// the event stored there still hashes to it from the link before. Null when it holds.
    /// </summary>
    private static async Task<string?> ResumeProblem(NpgsqlConnection connection, VerifiedPosition resume, CancellationToken token)
    {
        await using var command = new NpgsqlCommand(
            $"select c.previous_hash, c.hash, e.seq_id is not null, {StoredEvents.Columns} " +
            $"from {ChainTable} c left join {StoredEvents.Table} e on e.seq_id = c.seq_id where c.seq_id = $1", connection);
        command.Parameters.AddWithValue(resume.Sequence);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, token);
        if (!await reader.ReadAsync(token)) return "the last verified position is no longer chained";
        var previousHash = reader.GetString(0);
        var hash = reader.GetString(1);
        if (!reader.GetBoolean(2)) return "the event at the last verified position was chained but is no longer stored";
        var e = StoredEvents.Read(reader, 3);
        if (hash != resume.Hash)
            return "the chain's link at the last verified position is not the hash verified then: the chain was rewritten";
        return HashChain.Next(previousHash, e.Chained) == resume.Hash
            ? null
            : "the event at the last verified position does not hash to its link: it was altered after it was verified";
    }
}
