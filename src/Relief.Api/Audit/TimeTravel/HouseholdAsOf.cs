using System.Globalization;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Marten.Events.Archiving;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Audit.History;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Identity;
using Wolverine.Attributes;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Audit.TimeTravel;

/// <summary>
/// A household as it was: the household's own stream replayed up to <c>version</c>, and/or as known
/// at <c>asOf</c> (recorded before that instant), and/or effective on <c>effectiveOn</c> (events whose
/// business date is on or before it; an event without a business date of its own counts from the
/// day it was recorded). <c>events</c> is how many events were applied; <c>version</c> is the stream
/// version of the last one.
/// </summary>
public sealed record HouseholdAsOfResponse(
    Guid Id,
    int Version,
    int Events,
    DateTimeOffset? AsOf,
    int? AskedVersion,
    DateOnly? EffectiveOn,
    string Township,
    string Village,
    string HeadName,
    string Address,
    PovertyCause PovertyCause,
    DateTimeOffset RegisteredAt,
    PersonalDataView PersonalData,
    MonitoringStatus Monitoring,
    DateOnly? MonitoringSince,
    ClosureResponse? Closure,
    IReadOnlyList<MemberResponse> Members);

/// <summary>
/// What the replay found: the household as it was, how far it went, and the keys of the household
/// and of the people it held then (some may have moved since).
/// </summary>
public sealed record HouseholdReplay(HouseholdDetails Then, int Version, int Events, KeyChain Keys);

public static class GetHouseholdAsOfEndpoint
{
    /// <summary>The household now, for access.</summary>
    public static Task<HouseholdDetails?> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<HouseholdDetails>(householdId, token);

    /// <summary>Before any event is read: the values parse (400), the household exists (404), the caller's township may see it (403).</summary>
    public static ProblemDetails Validate(HouseholdDetails? current, Guid householdId, string? asOf, string? version,
        string? effectiveOn, Caller caller)
    {
        if (Invalid(asOf, version, effectiveOn) is { } invalid) return invalid;
        if (current is null) return HouseholdRules.NotFound(householdId);
        return TownshipScope.Access(current.Township, caller, "household") ?? WolverineContinue.NoProblems;
    }

    /// <summary>Only then: the household's own stream replayed up to what was asked, or 404 when it did not exist then.</summary>
    [WolverineBefore]
    public static async Task<(HouseholdReplay?, ProblemDetails)> ReplayAsync(Guid householdId, string? asOf, string? version,
        string? effectiveOn, IQuerySession session, NpgsqlDataSource dataSource, PersonalDataVault vault, CancellationToken token)
    {
        var (sequences, lastVersion) = await Sequences(dataSource, householdId, asOf is null ? null : AuditQuery.Instant(asOf),
            version is null ? null : int.Parse(version, CultureInfo.InvariantCulture), QueryValues.Date(effectiveOn), token);
        var then = sequences.Length == 0
            ? null
            : await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == householdId && e.Sequence.IsOneOf(sequences) && e.MaybeArchived())
                .OrderBy(e => e.Sequence)
                .AggregateToAsync<HouseholdDetails>(token: token);
        return then is null
            ? (null, Problems.NotFound("The household did not exist then.", $"Household {householdId} has no event up to what was asked."))
            : (new HouseholdReplay(then, lastVersion, sequences.Length,
                    await vault.Keys(session, [householdId],
                        then.Members.Select(m => m.MemberId).Concat(PersonalDataVault.KeysOf([then.HeadName]).People).Distinct().ToList(), token)),
                WolverineContinue.NoProblems);
    }

    private static async Task<(long[] Sequences, int LastVersion)> Sequences(NpgsqlDataSource dataSource, Guid householdId,
        DateTimeOffset? knownAt, int? version, DateOnly? effectiveOn, CancellationToken token)
    {
        var parameters = new List<object> { householdId };
        var where = new List<string> { "e.stream_id = $1" };
        if (knownAt is { } at)
        {
            parameters.Add(at.ToUniversalTime());
            where.Add($"e.timestamp < ${parameters.Count}");
        }

        if (version is { } v)
        {
            parameters.Add((long)v);
            where.Add($"e.version <= ${parameters.Count}");
        }

        if (effectiveOn is { } day)
        {
            parameters.Add(day);
            where.Add($"{EventSql.BusinessDate} <= ${parameters.Count}");
        }

        await using var command = dataSource.CreateCommand(
            $"select e.seq_id, e.version from {StoredEvents.Table} e where {string.Join(" and ", where)} order by e.seq_id");
        foreach (var value in parameters) command.Parameters.AddWithValue(value);
        var sequences = new List<long>();
        long last = 0;
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token))
        {
            sequences.Add(reader.GetInt64(0));
            last = reader.GetInt64(1);
        }

        return (sequences.ToArray(), (int)last);
    }

    private static ProblemDetails? Invalid(string? asOf, string? version, string? effectiveOn)
    {
        var errors = new FieldErrors();
        if (asOf is not null && AuditQuery.Instant(asOf) is null)
            errors.Add("asOf", "is a date (yyyy-MM-dd: the end of that day in China) or an instant with its offset.");
        if (version is not null && (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1))
            errors.Add("version", "is a stream version, 1 or more.");
        QueryValues.ValidateDate("effectiveOn", effectiveOn, errors);
        return errors.Any ? errors.ToProblem() : null;
    }

    /// <summary>
    /// Time travel: the household as it was at a stream <c>version</c>, as known at <c>asOf</c> (an
    /// instant, or a date meaning the end of that day in China), or effective on <c>effectiveOn</c>,
    /// or any combination. Identifiers are masked unless the caller holds <c>pii:read</c> (recorded).
    /// </summary>
    [WolverineGet("/api/audit/households/{householdId}"), Tags("Audit")]
    [Authorize(Scopes.AuditRead)]
    public static (HouseholdAsOfResponse, IMartenOp) Get(Guid householdId, string? asOf, string? version, string? effectiveOn,
        HouseholdReplay replay, Caller caller, HttpContext context, DateTimeOffset now)
    {
        var h = replay.Then;
        var view = GetHouseholdEndpoint.ViewFor(replay.Keys.Record(householdId), caller);
        var members = h.Members.Select(m => GetHouseholdEndpoint.Show(m, replay.Keys, caller.Has(Scopes.PiiRead))).ToList();
        var disclosure = PersonalDataDisclosure.RecordIf(members.Any(m => m.PersonalData == PersonalDataView.Revealed),
            PersonalDataOwner.Household, householdId, caller, context, now);
        return (new HouseholdAsOfResponse(householdId, replay.Version, replay.Events,
            asOf is null ? null : AuditQuery.Instant(asOf), version is null ? null : int.Parse(version, CultureInfo.InvariantCulture),
            QueryValues.Date(effectiveOn), h.Township, h.Village,
            replay.Keys.Show(SealedFields.HeadName, h.HeadName), replay.Keys.Show(SealedFields.Address, h.Address), h.PovertyCause, h.RegisteredAt, view,
            h.Monitoring, h.MonitoringSince, ClosureResponse.Of(h.Closure, replay.Keys), members), disclosure);
    }
}
