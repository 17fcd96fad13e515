using System.Data;
using Npgsql;
using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.Households;
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
    /// The business date of an event (<c>e</c>): the member its type declares (<see cref="EventFacts.BusinessDates"/>;
    /// the China date of an instant), or the China date it was recorded. The API shows the same
    /// (<see cref="BusinessDateReader.Of"/>).
    /// </summary>
    public static string BusinessDate { get; } =
        "coalesce(case e.type " +
        string.Join(" ", EventFacts.BusinessDates.Select(b => $"when '{b.StoredType}' then " + (b.IsInstant
            ? $"((e.data->>'{b.Member}')::timestamptz at time zone 'UTC' + interval '8 hours')::date"
            : $"(e.data->>'{b.Member}')::date"))) +
        $" end, {RecordedDate})";

    /// <summary>The China date an event was recorded.</summary>
    public const string RecordedDate = "((e.timestamp at time zone 'UTC') + interval '8 hours')::date";

    /// <summary>The JSON members the SQL below reads: each event's household, as it declares it, and the facts of a few events.</summary>
    private static readonly string HouseholdId = EventFacts.HouseholdId;

    private static readonly string StayId = Json<ResidentAdmitted>(nameof(ResidentAdmitted.StayId));
    private static readonly string FromHouseholdId = Json<HouseholdMemberMovedIn>(nameof(HouseholdMemberMovedIn.FromHouseholdId));
    private static readonly string ToHouseholdId = Json<HouseholdMemberMovedOut>(nameof(HouseholdMemberMovedOut.ToHouseholdId));
    private static readonly string AgreementCaregiver = Json<CareAgreementSigned>(nameof(CareAgreementSigned.Caregiver));
    private static readonly string CaregiverFamily = Json<Caregiver>(nameof(CareAgreements.Caregiver.CaregiverFamilyId));

    private static string Json<T>(string member) => EventFacts.JsonName(typeof(T).GetProperty(member)!);

    /// <summary>
    /// The events that concern household <c>$1</c> (uuid) / <c>$2</c> (its id as text): its own stream;
    /// every stream that began about it (agreements, policy cases, evaluations, inspections); the
    /// caregiver families named by its agreements; and on shared streams (centres) every event that
    /// names it or one of its stays, and moves naming it.
    /// </summary>
    public static string ConcernsHousehold { get; } =
        "(e.stream_id = $1" +
        $" or e.stream_id in (select f.stream_id from {Events} f where f.version = 1 and f.data->>'{HouseholdId}' = $2)" +
        $" or e.stream_id in (select (a.data->'{AgreementCaregiver}'->>'{CaregiverFamily}')::uuid from {Events} a" +
        $"    where a.data->>'{HouseholdId}' = $2 and a.data->'{AgreementCaregiver}'->>'{CaregiverFamily}' is not null)" +
        $" or e.data->>'{HouseholdId}' = $2 or e.data->>'{FromHouseholdId}' = $2 or e.data->>'{ToHouseholdId}' = $2" +
        $" or e.data->>'{StayId}' in (select t.data->>'{StayId}' from {Events} t where t.data->>'{HouseholdId}' = $2 and t.data ? '{StayId}'))";

    /// <summary>The township an event belongs to: its own, else its stream's first event's, else the recording key's.</summary>
    public static string Township { get; } =
        $"coalesce(e.data->>'{EventFacts.Township}', (select f.data->>'{EventFacts.Township}' from {Events} f where f.stream_id = e.stream_id and f.version = 1), e.headers->>'township')";

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

/// <summary>Reading an event's business date in the API, by the same rule as <see cref="EventSql.BusinessDate"/>.</summary>
public static class BusinessDateReader
{
    public static DateOnly Of(string storedType, string data, DateTimeOffset recordedAt)
    {
        if (EventFacts.BusinessDateOf(storedType) is { } fact)
        {
            using var document = System.Text.Json.JsonDocument.Parse(data);
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty(fact.Member, out var value)
                && value.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                if (!fact.IsInstant && Infrastructure.Http.QueryValues.Date(value.GetString()) is { } date) return date;
                if (fact.IsInstant && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.None, out var at))
                    return Relief.Core.Calendar.ChinaTime.Today(at);
            }
        }

        return Relief.Core.Calendar.ChinaTime.Today(recordedAt);
    }
}
