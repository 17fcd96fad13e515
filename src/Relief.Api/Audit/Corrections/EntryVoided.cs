using Npgsql;
using Relief.Api.Infrastructure.Security;

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
    DateOnly VoidedOn);

/// <summary>Which entries were voided, and by which void.</summary>
public static class Voids
{
    /// <summary>For each of <paramref name="sequences"/> that was voided: the sequence of its <see cref="EntryVoided"/>.</summary>
    public static async Task<Dictionary<long, long>> Of(NpgsqlDataSource dataSource, long[] sequences, CancellationToken token)
    {
        var voids = new Dictionary<long, long>();
        if (sequences.Length == 0) return voids;
        await using var command = dataSource.CreateCommand(
            $"select (data->>'voidedSequence')::bigint, seq_id from {StoredEvents.Table} " +
            "where mt_dotnet_type like '%.EntryVoided,%' and (data->>'voidedSequence')::bigint = any($1) order by seq_id");
        command.Parameters.AddWithValue(sequences);
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token)) voids.TryAdd(reader.GetInt64(0), reader.GetInt64(1));
        return voids;
    }
}
