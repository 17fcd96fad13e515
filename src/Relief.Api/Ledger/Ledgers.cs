using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Audit;
using Relief.Api.Audit.Corrections;
using Relief.Api.Audit.History;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Ledger;

/// <summary>
/// One line of a ledger (台账): when it happened (<c>date</c>, the business date) and when it was
/// recorded, the department that recorded it, what kind of entry it is, a summary in Chinese and in
/// English, and the stream and sequence that hold the event. <c>voidedBy</c> names the sequence of
/// the <c>EntryVoided</c> that voided it, if any (both lines stay in the ledger).
/// </summary>
public sealed record LedgerEntry(
    long Sequence,
    DateOnly Date,
    DateTimeOffset RecordedAt,
    string? Department,
    string Kind,
    string Summary,
    string SummaryEn,
    Guid StreamId,
    string? StreamKind,
    long? VoidedBy);

public static class LedgerLines
{
    public static async Task<List<LedgerEntry>> Of(IReadOnlyList<AuditEvent> events, NpgsqlDataSource dataSource, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var voids = await Voids.Of(dataSource,
            events.Select(e => (e.Stored.Sequence, Guid.Parse(e.Stored.Chained.StreamId))).ToList(), token);
        // The names a summary shows are sealed in the events: their keys, in one round trip.
        var keys = await vault.Keys(session, events.SelectMany(e => LedgerSummaries.SealedFacts(e.Stored.Name, e.Stored.Chained.Data)), token);
        return events.Select(e =>
        {
            var c = e.Stored.Chained;
            var (zh, en) = LedgerSummaries.Of(e.Stored.Name, c.Data, keys);
            return new LedgerEntry(c.Sequence, BusinessDateReader.Of(c.Type, c.Data, e.Stored.RecordedAt), e.Stored.RecordedAt,
                Provenance.Of(e.Stored).Department, e.Stored.Name, zh, en, Guid.Parse(c.StreamId), e.StreamKind,
                voids.TryGetValue(c.Sequence, out var by) ? by : null);
        }).ToList();
    }
}

public static class GetHouseholdLedgerEndpoint
{
    public static Task<HouseholdDetails?> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        HouseholdEventsQuery.LoadAsync(householdId, session, token);

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller, string? department,
        string? type, string? from, string? to, string? dates, string? asOf, string? cursor, string? limit) =>
        HouseholdEventsQuery.Validate(household, householdId, caller, department, type, from, to, dates, asOf, cursor, limit);

    /// <summary>
    /// The household ledger (台账): everything about one household on one page, in the order it was
    /// recorded, with the department that recorded each entry (the same events as its history).
    /// </summary>
    [WolverineGet("/api/households/{householdId}/ledger"), Tags("Ledger")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<LedgerEntry>> Get(Guid householdId, [Query(OneOf = typeof(Department))] string? department, string? type,
        string? from, string? to, [Query(OneOf = typeof(DateKind))] string? dates, string? asOf, string? cursor, string? limit,
        NpgsqlDataSource dataSource, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var query = AuditQuery.Parse(department, type, from, to, dates, asOf, cursor, limit);
        var fetched = await EventSql.Page(dataSource, EventSql.ConcernsHousehold, [householdId, householdId.ToString()], query, token);
        var (events, next) = AuditPages.Split(fetched, query.Limit);
        return new Page<LedgerEntry>(await LedgerLines.Of(events, dataSource, session, vault, token), next);
    }
}

public static class GetCountyLedgerEndpoint
{
    /// <summary>Readable with <c>audit:read</c> or <c>reports:read</c>; a township key sees its own township only.</summary>
    public static ProblemDetails Validate(string? township, TownshipDirectory townships, Caller caller, string? department,
        string? type, string? from, string? to, string? dates, string? asOf, string? cursor, string? limit)
    {
        if (!caller.Has(Scopes.AuditRead) && !caller.Has(Scopes.ReportsRead))
            return Problems.Forbidden($"The county ledger needs the scope {Scopes.AuditRead} or {Scopes.ReportsRead}.");
        if (township is not null && townships.Find(township) is null)
        {
            var errors = new FieldErrors();
            errors.Add("township", "is not a township of the county.");
            return errors.ToProblem();
        }

        if (AuditQuery.Validate(department, type, from, to, dates, asOf, cursor, limit) is { } invalid) return invalid;
        return TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>
    /// The county ledger (台账) as one list: every entry county-wide, in the order recorded, paged.
    /// Filters: <c>township</c> (the event's own, else its stream's), <c>department</c>, <c>type</c>,
    /// <c>from</c>/<c>to</c> on <c>dates</c> (<c>recorded</c> or <c>business</c>), and <c>asOf</c>:
    /// the ledger as known then (entries recorded later are left out).
    /// </summary>
    [WolverineGet("/api/ledger"), Tags("Ledger")]
    [Authorize]
    public static async Task<Page<LedgerEntry>> Get(string? township, [Query(OneOf = typeof(Department))] string? department, string? type,
        string? from, string? to, [Query(OneOf = typeof(DateKind))] string? dates, string? asOf, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, NpgsqlDataSource dataSource, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var query = AuditQuery.Parse(department, type, from, to, dates, asOf, cursor, limit);
        var code = TownshipScope.Of(township, caller, townships);
        var (scope, parameters) = code is null
            ? ("true", Array.Empty<object>())
            : ($"{EventSql.Township} = $1", new object[] { code });
        var fetched = await EventSql.Page(dataSource, scope, parameters, query, token);
        var (events, next) = AuditPages.Split(fetched, query.Limit);
        return new Page<LedgerEntry>(await LedgerLines.Of(events, dataSource, session, vault, token), next);
    }
}
