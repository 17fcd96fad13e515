using System.Data;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;

namespace Relief.Api.Audit.History;

/// <summary>A stored event with the kind of stream it belongs to (<c>household</c>, <c>care_agreement</c> …).</summary>
public sealed record AuditEvent(StoredEvent Stored, string? StreamKind);

/// <summary>
/// The SQL of the audit lists: which events concern a household, the business date of an event,
/// and the filters. Everything reads <c>mt_events</c> directly, archived events included.
/// </summary>
public static class EventSql
{
    private const string Events = StoredEvents.Table;

    /// <summary>
    /// The business date of an event (<c>e</c>): the first of its date members in this order, or the
    /// China date it was recorded. The same list names it in the API (<see cref="BusinessDateReader.Of"/>).
    /// </summary>
    public static string BusinessDate { get; } =
        "coalesce(" + string.Join(", ", BusinessDates.Members.Select(m => $"(e.data->>'{m}')")) + ", " +
        string.Join(", ", BusinessDates.Instants.Select(m =>
            $"to_char(((e.data->>'{m}')::timestamptz at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')")) +
        ", to_char((e.timestamp at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD'))::date";

    /// <summary>The China date an event was recorded.</summary>
    public const string RecordedDate = "((e.timestamp at time zone 'UTC') + interval '8 hours')::date";

    /// <summary>
    /// The events that concern household <c>$1</c> (uuid) / <c>$2</c> (its id as text): its own stream;
    /// every stream that began about it (agreements, policy cases, evaluations, inspections); the
    /// caregiver families named by its agreements; and on shared streams (centres) every event that
    /// names it or one of its stays, and moves naming it.
    /// </summary>
    public const string ConcernsHousehold =
        "(e.stream_id = $1" +
        $" or e.stream_id in (select f.stream_id from {Events} f where f.version = 1 and f.data->>'householdId' = $2)" +
        $" or e.stream_id in (select (a.data->'caregiver'->>'caregiverFamilyId')::uuid from {Events} a" +
        "    where a.data->>'householdId' = $2 and a.data->'caregiver'->>'caregiverFamilyId' is not null)" +
        " or e.data->>'householdId' = $2 or e.data->>'fromHouseholdId' = $2 or e.data->>'toHouseholdId' = $2" +
        $" or e.data->>'stayId' in (select t.data->>'stayId' from {Events} t where t.data->>'householdId' = $2 and t.data ? 'stayId'))";

    /// <summary>The township an event belongs to: its own, else its stream's first event's, else the recording key's.</summary>
    public const string Township =
        $"coalesce(e.data->>'township', (select f.data->>'township' from {Events} f where f.stream_id = e.stream_id and f.version = 1), e.headers->>'township')";

    /// <summary>
    /// One page of events in sequence order: those matching <paramref name="scope"/> (SQL over <c>e</c>,
    /// whose parameters come first) and the query's filters; one more than the limit, to know whether
    /// another page follows.
    /// </summary>
    public static async Task<List<AuditEvent>> Page(NpgsqlDataSource dataSource, string scope, IReadOnlyList<object> scopeParameters,
        AuditQuery query, CancellationToken token)
    {
        var parameters = new List<object>(scopeParameters);
        string P(object value)
        {
            parameters.Add(value);
            return "$" + parameters.Count;
        }

        // Marten's tombstones (placeholders for the sequence numbers of failed commits) are bookkeeping,
        // not entries: the chain covers them, histories and ledgers do not show them.
        var where = new List<string> { scope, $"e.seq_id > {P(query.After)}", "e.type <> 'tombstone'" };
        if (query.Department is { } department) where.Add($"e.headers->>'department' = {P(department.ToString())}");
        if (query.Type is { } type) where.Add($"(e.mt_dotnet_type like {P("%." + type + ",%")} or e.type = {P(type)})");
        var date = query.Dates == DateKind.Business ? BusinessDate : RecordedDate;
        if (query.From is { } from) where.Add($"{date} >= {P(from)}");
        if (query.To is { } to) where.Add($"{date} <= {P(to)}");
        if (query.KnownAt is { } known) where.Add($"e.timestamp < {P(known.ToUniversalTime())}");

        var sql = $"select {StoredEvents.Columns}, s.type from {Events} e left join {ReliefStore.Schema}.mt_streams s on s.id = e.stream_id " +
                  $"where {string.Join(" and ", where)} order by e.seq_id limit {P(query.Limit + 1)}";
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters) command.Parameters.AddWithValue(value);
        var events = new List<AuditEvent>();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, token);
        while (await reader.ReadAsync(token))
        {
            var stored = StoredEvents.Read(reader);
            events.Add(new AuditEvent(stored, reader.IsDBNull(15) ? null : reader.GetString(15)));
        }

        return events;
    }
}

/// <summary>The date members that carry an event's business date, in the order they are looked for.</summary>
public static class BusinessDates
{
    public static IReadOnlyList<string> Members { get; } =
    [
        "signedOn", "renewedOn", "adoptedOn", "effectiveFrom", "endedOn", "closedOn", "openedOn", "appliedOn", "decidedOn", "startedOn",
        "grantedOn", "rejectedOn", "admittedOn", "dischargedOn", "deliveredOn", "changedOn", "surveyedOn", "evaluatedOn",
        "inspectedOn", "completedOn", "heldOn", "awardedOn", "placedOn", "enrolledOn", "withdrewOn", "movedOn", "warnedOn",
        "voidedOn", "since", "on", "from",
    ];

    /// <summary>Instants that carry the business date (its China date) when no date member does.</summary>
    public static IReadOnlyList<string> Instants { get; } = ["registeredAt", "erasedAt"];
}

/// <summary>Reading an event's business date in the API, by the same rule as <see cref="EventSql.BusinessDate"/>.</summary>
public static class BusinessDateReader
{
    public static DateOnly Of(string data, DateTimeOffset recordedAt)
    {
        using var document = System.Text.Json.JsonDocument.Parse(data);
        if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var member in BusinessDates.Members)
            {
                if (document.RootElement.TryGetProperty(member, out var value)
                    && value.ValueKind == System.Text.Json.JsonValueKind.String
                    && Infrastructure.Http.QueryValues.Date(value.GetString()) is { } date)
                    return date;
            }

            foreach (var member in BusinessDates.Instants)
            {
                if (document.RootElement.TryGetProperty(member, out var value)
                    && value.ValueKind == System.Text.Json.JsonValueKind.String
                    && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.None, out var at))
                    return Relief.Core.Calendar.ChinaTime.Today(at);
            }
        }

        return Relief.Core.Calendar.ChinaTime.Today(recordedAt);
    }
}
