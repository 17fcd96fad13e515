using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Provenance;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Audit.History;

/// <summary>Who recorded an event, from which department system (and which member of it), on whose behalf, and why.</summary>
public sealed record Provenance(
    string? Department,
    string? Caller,
    string? Operator,
    string? Credential,
    string? Township,
    string? ExternalRef,
    string? CorrelationId,
    string? CausationId,
    string? UserName,
    string? Organisation = null)
{
    public static Provenance Of(StoredEvent e)
    {
        string? Header(string name) => Headers(e)?.TryGetProperty(name, out var v) == true && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var c = e.Chained;
        return new Provenance(Header(ProvenanceHeaders.Department), Header(ProvenanceHeaders.Caller), Header(ProvenanceHeaders.Operator),
            Header(ProvenanceHeaders.Credential), Header(ProvenanceHeaders.Township), Header(ProvenanceHeaders.ExternalRef),
            c.CorrelationId, c.CausationId, c.UserName, Header(ProvenanceHeaders.Organisation));
    }

    private static JsonElement? Headers(StoredEvent e) =>
        e.Chained.Headers is null ? null : JsonDocument.Parse(e.Chained.Headers).RootElement;
}

/// <summary>
/// One event in a history: its place in the global sequence and its stream, its name, when it
/// happened (<c>businessDate</c>) and when Relief learned it (<c>recordedAt</c>), its provenance and
/// its data as stored (personal identifiers masked or revealed, never ciphertext).
/// </summary>
public sealed record HistoryEntry(
    long Sequence,
    Guid StreamId,
    string? StreamKind,
    long Version,
    string Type,
    DateOnly BusinessDate,
    DateTimeOffset RecordedAt,
    bool Archived,
    Provenance Provenance,
    JsonNode? Data);

/// <summary>The audit lists' shared reading: a page of events and the cursor of the next.</summary>
public static class AuditPages
{
    public static (List<AuditEvent> Events, string? NextCursor) Split(List<AuditEvent> fetched, int limit)
    {
        if (fetched.Count <= limit) return (fetched, null);
        var page = fetched.GetRange(0, limit);
        return (page, page[^1].Stored.Sequence.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The disclosure records of the identifiers shown in full.</summary>
    public static IMartenOp Disclosures(PersonalDataInEvents shown, Caller caller, HttpContext context, DateTimeOffset now) =>
        PersonalDataDisclosure.Record([.. shown.Revealed.Select(r => PersonalDataDisclosure.Of(DisclosureKind.Revealed,
            r.StreamKind == "caregiver_family" ? PersonalDataOwner.CaregiverFamily : PersonalDataOwner.Household,
            r.Owner, caller, context, now))]);
}

public static class GetHouseholdHistoryEndpoint
{
    public static Task<HouseholdDetails?> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        HouseholdEventsQuery.LoadAsync(householdId, session, token);

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller, string? department,
        string? type, string? from, string? to, string? dates, string? asOf, string? cursor, string? limit) =>
        HouseholdEventsQuery.Validate(household, householdId, caller, department, type, from, to, dates, asOf, cursor, limit);

    /// <summary>
    /// Every event of the household and of every stream that concerns it (its agreements, its stays
    /// on centre streams, its policy cases, evaluations and inspections, the caregiver families that
    /// signed its agreements), archived ones included, in sequence order, with provenance. Filters:
    /// <c>department</c>, <c>type</c>, <c>from</c>/<c>to</c> on <c>dates</c> (<c>recorded</c> or
    /// <c>business</c>), <c>asOf</c> (as known then); paged by <c>cursor</c> and <c>limit</c>.
    /// Identifiers are masked unless the caller holds <c>pii:read</c> (then the read is recorded).
    /// </summary>
    [WolverineGet("/api/households/{householdId}/history"), Tags("Audit")]
    [Authorize(Scopes.AuditRead)]
    public static async Task<(Page<HistoryEntry>, IMartenOp)> Get(Guid householdId, [Query(OneOf = typeof(Department))] string? department, string? type,
        string? from, string? to, [Query(OneOf = typeof(DateKind))] string? dates, string? asOf, string? cursor, string? limit,
        NpgsqlDataSource dataSource, PersonalDataVault vault, IQuerySession session, Caller caller, HttpContext context,
        DateTimeOffset now, CancellationToken token)
    {
        var query = AuditQuery.Parse(department, type, from, to, dates, asOf, cursor, limit);
        var fetched = await EventSql.Page(dataSource, EventSql.ConcernsHousehold, [householdId, householdId.ToString()], query, token);
        var (events, next) = AuditPages.Split(fetched, query.Limit);
        var shown = new PersonalDataInEvents(vault, session, caller.Has(Scopes.PiiRead));
        var entries = new List<HistoryEntry>(events.Count);
        foreach (var e in events)
        {
            var c = e.Stored.Chained;
            entries.Add(new HistoryEntry(c.Sequence, Guid.Parse(c.StreamId), e.StreamKind, c.Version, e.Stored.Name,
                BusinessDateReader.Of(c.Type, c.Data, e.Stored.RecordedAt), e.Stored.RecordedAt, e.Stored.IsArchived,
                Provenance.Of(e.Stored), await shown.Show(e, token)));
        }

        return (new Page<HistoryEntry>(entries, next), AuditPages.Disclosures(shown, caller, context, now));
    }
}
