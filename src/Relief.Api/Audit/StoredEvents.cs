using System.Data;
using System.Data.Common;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;
using Relief.Core.Audit;

namespace Relief.Api.Audit;

/// <summary>A row of <c>mt_events</c> as stored, with what the chain covers and what the audit views add.</summary>
public sealed record StoredEvent(ChainedEvent Chained, DateTimeOffset RecordedAt, string? DotnetType, bool IsArchived)
{
    /// <summary>
    /// The recorded time of a row stored without one: Marten's tombstones (placeholders it writes for
    /// the sequence numbers of a failed commit) carry the timestamp <c>-infinity</c>.
    /// </summary>
    public static readonly DateTimeOffset NotRecorded = DateTimeOffset.MinValue;

    public long Sequence => Chained.Sequence;

    public bool HasRecordedTime => RecordedAt != NotRecorded;

    /// <summary>The event's name: its CLR type name (<c>HouseholdRegistered</c>), or the stored alias when unknown.</summary>
    public string Name => EventNames.Of(DotnetType, Chained.Type);
}

/// <summary>
/// Raw, read-only SQL over Marten's event table, archived events included. The audit reads the
/// events as they are stored (not as an upcaster or a projection sees them), because that is what
/// the chain covers and what an auditor must see.
/// </summary>
public static class StoredEvents
{
    public const string Table = ReliefStore.Schema + ".mt_events";

    /// <summary>The columns of <see cref="Read"/>, in its order; <c>e</c> is the <c>mt_events</c> alias.</summary>
    public const string Columns =
        "e.seq_id, e.id, e.stream_id::text, e.version, e.type, " +
        "coalesce(to_char(e.timestamp at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), e.timestamp::text), " +
        "coalesce(e.tenant_id, ''), e.data::text, e.correlation_id, e.causation_id, e.user_name, e.headers::text, " +
        "case when isfinite(e.timestamp) then e.timestamp end, e.mt_dotnet_type, coalesce(e.is_archived, false)";

    public static StoredEvent Read(DbDataReader reader, int offset = 0)
    {
        string? Text(int i) => reader.IsDBNull(offset + i) ? null : reader.GetString(offset + i);
        var chained = new ChainedEvent(reader.GetInt64(offset + 0), reader.GetGuid(offset + 1), Text(2) ?? "",
            reader.GetInt64(offset + 3), reader.GetString(offset + 4), reader.GetString(offset + 5), reader.GetString(offset + 6),
            reader.GetString(offset + 7), Text(8), Text(9), Text(10), Text(11));
        var recordedAt = reader.IsDBNull(offset + 12) ? StoredEvent.NotRecorded : reader.GetFieldValue<DateTimeOffset>(offset + 12);
        return new StoredEvent(chained, recordedAt, Text(13), reader.GetBoolean(offset + 14));
    }

    /// <summary>Every stored event with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>], in order, at most <paramref name="limit"/>.</summary>
    public static async Task<List<StoredEvent>> Range(NpgsqlDataSource dataSource, long after, long upTo, int limit, CancellationToken token)
    {
        await using var command = dataSource.CreateCommand(
            $"select {Columns} from {Table} e where e.seq_id > $1 and e.seq_id <= $2 order by e.seq_id limit $3");
        command.Parameters.AddWithValue(after);
        command.Parameters.AddWithValue(upTo);
        command.Parameters.AddWithValue(limit);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, token);
        while (await reader.ReadAsync(token)) events.Add(Read(reader));
        return events;
    }
}

/// <summary>The name of an event kind as the API shows it.</summary>
public static class EventNames
{
    /// <summary><c>Relief.Api.Households.HouseholdRegistered, Relief.Api</c> → <c>HouseholdRegistered</c>.</summary>
    public static string Of(string? dotnetType, string alias)
    {
        if (string.IsNullOrEmpty(dotnetType)) return alias;
        var name = dotnetType.Split(',')[0];
        var generic = name.IndexOf('`');
        if (generic >= 0) name = name[..generic];
        var dot = name.LastIndexOfAny(['.', '+']);
        return dot >= 0 ? name[(dot + 1)..] : name;
    }
}
