using Npgsql;
using Relief.Api.Audit.History;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Events;

namespace Relief.Api.Audit.Corrections;

/// <summary>
/// A compensating event: the entry at <c>VoidedSequence</c> (an event of kind
/// <c>VoidedEventType</c> on the same stream, <c>StreamId</c>) was recorded by mistake and no longer
/// counts. It is appended to the original's stream; nothing is edited or deleted, and history and
/// ledgers show both. <c>VoidedOn</c> is the day the void was decided (China time);
/// <c>Department</c> is the department that voided it.
/// </summary>
public sealed record EntryVoided(
    Guid StreamId,
    long VoidedSequence,
    string VoidedEventType,
    string Reason,
    Department Department,
    DateOnly VoidedOn) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => VoidedOn;
}

/// <summary>Which entries were voided, and by which void.</summary>
public static class Voids
{
    /// <summary>The stored members the SQL below reads, from the event itself.</summary>
    private static readonly string VoidedSequence = EventFacts.JsonName(typeof(EntryVoided).GetProperty(nameof(EntryVoided.VoidedSequence))!);

    private const string IsVoid = $"mt_dotnet_type like '%.{nameof(EntryVoided)},%'";

    /// <summary>
    /// The sequence of the <see cref="EntryVoided"/> that voided the entry at <paramref name="sequence"/>,
    /// if any: a void is appended to its entry's stream, so only that stream's events are read.
    /// </summary>
    public static async Task<long?> ByAsync(NpgsqlDataSource dataSource, Guid streamId, long sequence, CancellationToken token)
    {
        await using var command = dataSource.CreateCommand(
            $"select seq_id from {StoredEvents.Table} where stream_id = $1 and {IsVoid} " +
            $"and (data->>'{VoidedSequence}')::bigint = $2 order by seq_id limit 1");
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(sequence);
        return await command.ExecuteScalarAsync(token) is long by ? by : null;
    }

    /// <summary>
    /// For each of <paramref name="entries"/> that was voided: the sequence of its <see cref="EntryVoided"/>.
    /// Only the entries' own streams are read (a void is appended to its entry's stream).
    /// </summary>
    public static async Task<Dictionary<long, long>> Of(NpgsqlDataSource dataSource, IReadOnlyCollection<(long Sequence, Guid StreamId)> entries,
        CancellationToken token)
    {
        var voids = new Dictionary<long, long>();
        if (entries.Count == 0) return voids;
        await using var command = dataSource.CreateCommand(
            $"select (data->>'{VoidedSequence}')::bigint, seq_id from {StoredEvents.Table} " +
            $"where stream_id = any($1) and {IsVoid} and (data->>'{VoidedSequence}')::bigint = any($2) order by seq_id");
        command.Parameters.AddWithValue(entries.Select(e => e.StreamId).Distinct().ToArray());
        command.Parameters.AddWithValue(entries.Select(e => e.Sequence).ToArray());
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token)) voids.TryAdd(reader.GetInt64(0), reader.GetInt64(1));
        return voids;
    }
}
