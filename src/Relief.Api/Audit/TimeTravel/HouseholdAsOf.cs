using System.Globalization;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Marten.Events.Archiving;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Audit.History;
using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.CarePlans;
using Relief.Api.CarePlans.PlanDetails;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
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
    IReadOnlyList<MemberResponse> Members,
    DateOnly Day,
    HouseholdPlanThen? Plan,
    IReadOnlyList<HouseholdAgreement> Agreements,
    IReadOnlyList<HouseholdStay> Stays);

/// <summary>
/// The household's care plan (一户一策) as it stood then, in short: its status, the care chosen and the
/// measures, and when it was next to be reviewed. The whole plan, with its visits and cadre, is at
/// <c>/api/care-plans/{planId}</c>.
/// </summary>
public sealed record HouseholdPlanThen(
    Guid Id, PlanStatus Status, DateOnly DraftedOn, DateOnly? ActivatedOn, DateOnly? NextReviewOn,
    IReadOnlyList<PlanCare> Care, IReadOnlyList<PlanMeasure> Measures);

/// <summary>
/// What the replay found: the household as it was, how far it went, and the keys of the household
/// and of the people it held then (some may have moved since).
/// </summary>
public sealed record HouseholdReplay(HouseholdDetails Then, int Version, int Events, KeyChain Keys, RelatedThen Related);

/// <summary>
/// The streams beside the household's own, replayed by the same cut: its agreements, its plan and its
/// members' centre stays, each as it stood then; <c>Day</c> is the day they are judged on (whether an
/// agreement gave care).
/// </summary>
public sealed record RelatedThen(
    DateOnly Day,
    CarePlanDetails? Plan,
    IReadOnlyList<CareAgreementDetails> Agreements,
    IReadOnlyList<CentreStay> Stays,
    IReadOnlyDictionary<Guid, string> CentreNames);

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

    /// <summary>
    /// Only then: the household's own stream replayed up to what was asked, or 404 when it did not exist
    /// then; and its agreements, plan and stays replayed by the same cut (a <c>version</c> cuts them at
    /// the moment that version was recorded).
    /// </summary>
    [WolverineBefore]
    public static async Task<(HouseholdReplay?, ProblemDetails)> ReplayAsync(Guid householdId, string? asOf, string? version,
        string? effectiveOn, IQuerySession session, NpgsqlDataSource dataSource, PersonalDataVault vault, DateTimeOffset now,
        CancellationToken token)
    {
        var knownAt = asOf is null ? null : AuditQuery.Instant(asOf);
        var day = QueryValues.Date(effectiveOn);
        var own = EventCut.Of(knownAt, day);
        own.Add("e.stream_id = {0}", householdId);
        if (version is not null) own.Add("e.version <= {0}", long.Parse(version, CultureInfo.InvariantCulture));
        var (sequences, lastVersion, lastRecorded) = await Sequences(dataSource, own, token);
        var then = sequences.Length == 0
            ? null
            : await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == householdId && e.Sequence.IsOneOf(sequences) && e.MaybeArchived())
                .OrderBy(e => e.Sequence)
                .AggregateToAsync<HouseholdDetails>(token: token);
        if (then is null)
            return (null, Problems.NotFound("The household did not exist then.", $"Household {householdId} has no event up to what was asked."));

        // Other streams are cut where the household's own was: by the instant asked, else (a version) by
        // the instant that version was recorded, and by the business date asked.
        var relatedKnownAt = knownAt ?? (version is null ? null : lastRecorded.AddTicks(1));
        var related = await RelatedAsync(householdId, EventCut.Of(relatedKnownAt, day),
            day ?? ChinaTime.Today(relatedKnownAt?.AddTicks(-1) ?? now), session, dataSource, token);
        var sealedValues = related.Agreements.SelectMany(a => new[] { a.Caregiver.Name, a.EndReason })
            .Concat(related.Stays.Select(s => s.Exception?.Reason))
            .Append(then.HeadName);
        var keys = await vault.Keys(session, [householdId],
            then.Members.Select(m => m.MemberId).Concat(PersonalDataVault.KeysOf(sealedValues).People).Distinct().ToList(), token);
        return (new HouseholdReplay(then, lastVersion, sequences.Length, keys, related), WolverineContinue.NoProblems);
    }

    /// <summary>
    /// The household's agreements, plan and centre stays as the cut leaves them: first the events on other
    /// streams that name the household (indexed: <see cref="HouseholdEventIndex"/>), which say which
    /// agreement and plan streams and which stays are its own; then every event of those, by the same cut,
    /// folded by the projections that build the live views (one stream each; stays by their multi-stream
    /// projection).
    /// </summary>
    private static async Task<RelatedThen> RelatedAsync(Guid householdId, EventCut cut, DateOnly day, IQuerySession session,
        NpgsqlDataSource dataSource, CancellationToken token)
    {
        var naming = cut.Copy();
        naming.Add($"e.data ->> '{EventFacts.HouseholdId}' = {{0}}", householdId.ToString());
        naming.Add("e.stream_id <> {0}", householdId);
        var named = await RawEvents(session, (await Sequences(dataSource, naming, token)).Sequences, token);
        var agreementStreams = named.Where(e => e.Data is CareAgreementSigned).Select(e => e.StreamId).Distinct().ToList();
        var planStreams = named.Where(e => e.Data is CarePlanDrafted).Select(e => e.StreamId).Distinct().ToList();
        var stays = named.Select(e => e.Data switch
        {
            ResidentAdmitted a => (a.CentreId, a.StayId),
            TrialStayStarted t => (t.CentreId, t.StayId),
            ResidentTransferredIn i => (i.CentreId, i.StayId),
            _ => ((Guid, Guid)?)null,
        }).OfType<(Guid CentreId, Guid StayId)>().Distinct().ToList();

        var agreements = new List<CareAgreementDetails>();
        foreach (var stream in agreementStreams)
            if (await StreamThen<CareAgreementDetails>(stream, cut, session, dataSource, token) is { } agreement) agreements.Add(agreement);
        CarePlanDetails? plan = null;
        foreach (var stream in planStreams) plan = await StreamThen<CarePlanDetails>(stream, cut, session, dataSource, token) ?? plan;

        IReadOnlyList<CentreStay> stayViews = [];
        IReadOnlyDictionary<Guid, string> centreNames = new Dictionary<Guid, string>();
        if (stays.Count > 0)
        {
            var stayCut = cut.Copy();
            stayCut.Add("e.stream_id = any({0})", stays.Select(s => s.CentreId).Distinct().ToArray());
            stayCut.Add("e.data ->> 'stayId' = any({0})", stays.Select(s => s.StayId.ToString()).ToArray());
            var stayEvents = (await Sequences(dataSource, stayCut, token)).Sequences;
            stayViews = stayEvents.Length == 0
                ? []
                : (await session.Events.QueryAllRawEvents()
                    .Where(e => e.Sequence.IsOneOf(stayEvents) && e.MaybeArchived())
                    .OrderBy(e => e.Sequence)
                    .AggregateToManyAsync<CentreStay>(token)).OrderBy(s => s.From).ToList();
            centreNames = (await session.LoadManyAsync<CentreDetails>(token, stays.Select(s => s.CentreId).Distinct()))
                .ToDictionary(c => c.Id, c => c.Name);
        }

        return new RelatedThen(day, plan, agreements.OrderBy(a => a.SignedOn).ToList(), stayViews, centreNames);
    }

    /// <summary>One stream replayed by the cut into its live view, or null when none of its events fall in it.</summary>
    private static async Task<T?> StreamThen<T>(Guid streamId, EventCut cut, IQuerySession session, NpgsqlDataSource dataSource,
        CancellationToken token) where T : class
    {
        var own = cut.Copy();
        own.Add("e.stream_id = {0}", streamId);
        var sequences = (await Sequences(dataSource, own, token)).Sequences;
        return sequences.Length == 0
            ? null
            : await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == streamId && e.Sequence.IsOneOf(sequences) && e.MaybeArchived())
                .OrderBy(e => e.Sequence)
                .AggregateToAsync<T>(token: token);
    }

    private static async Task<IReadOnlyList<IEvent>> RawEvents(IQuerySession session, long[] sequences, CancellationToken token) =>
        sequences.Length == 0
            ? []
            : await session.Events.QueryAllRawEvents().Where(e => e.Sequence.IsOneOf(sequences) && e.MaybeArchived())
                .OrderBy(e => e.Sequence).ToListAsync(token);

    private static async Task<(long[] Sequences, int LastVersion, DateTimeOffset LastRecorded)> Sequences(NpgsqlDataSource dataSource,
        EventCut cut, CancellationToken token)
    {
        await using var command = dataSource.CreateCommand(
            $"select e.seq_id, e.version, e.timestamp from {StoredEvents.Table} e where {cut.Sql} order by e.seq_id");
        foreach (var value in cut.Parameters) command.Parameters.AddWithValue(value);
        var sequences = new List<long>();
        long last = 0;
        DateTimeOffset recorded = default;
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token))
        {
            sequences.Add(reader.GetInt64(0));
            last = reader.GetInt64(1);
            recorded = reader.GetFieldValue<DateTimeOffset>(2);
        }

        return (sequences.ToArray(), (int)last, recorded);
    }

    /// <summary>
    /// Which events a replay takes: recorded before an instant, effective by a business date, and any
    /// further conditions; the values travel as parameters (<c>{0}</c> in a condition is its own).
    /// </summary>
    private sealed class EventCut
    {
        private readonly List<string> _where = [];
        private readonly List<object> _parameters = [];

        public static EventCut Of(DateTimeOffset? knownAt, DateOnly? effectiveOn)
        {
            var cut = new EventCut();
            if (knownAt is { } at) cut.Add("e.timestamp < {0}", at.ToUniversalTime());
            if (effectiveOn is { } day) cut.Add($"{EventSql.BusinessDate} <= {{0}}", day);
            return cut;
        }

        public void Add(string condition, object value)
        {
            _parameters.Add(value);
            _where.Add(string.Format(CultureInfo.InvariantCulture, condition, $"${_parameters.Count}"));
        }

        public EventCut Copy()
        {
            var copy = new EventCut();
            copy._where.AddRange(_where);
            copy._parameters.AddRange(_parameters);
            return copy;
        }

        public string Sql => _where.Count == 0 ? "true" : string.Join(" and ", _where);
        public IReadOnlyList<object> Parameters => _parameters;
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
            h.Monitoring, h.MonitoringSince, ClosureResponse.Of(h.Closure, replay.Keys), members, replay.Related.Day,
            PlanThen(replay.Related.Plan), AgreementsThen(replay.Related, replay.Keys), StaysThen(replay.Related, replay.Keys)), disclosure);
    }

    private static HouseholdPlanThen? PlanThen(CarePlanDetails? plan) =>
        plan is null ? null : new(plan.Id, plan.Status, plan.DraftedOn, plan.ActivatedOn, plan.NextReviewOn, plan.Care, plan.Measures);

    private static List<HouseholdAgreement> AgreementsThen(RelatedThen related, KeyChain keys) =>
        related.Agreements.Select(a => new HouseholdAgreement(a.Id, a.Mode, CaregiverResponse.Of(a.Caregiver, keys), a.StartsOn, a.LastDay,
            new CarePeriod(a.StartsOn, a.LastDay).Covers(related.Day))).ToList();

    private static List<HouseholdStay> StaysThen(RelatedThen related, KeyChain keys) =>
        related.Stays.Select(s => new HouseholdStay(s.Id, s.CentreId, related.CentreNames.GetValueOrDefault(s.CentreId, ""), s.MemberId, s.Kind,
            s.Status, s.From, s.Until, s.To, AdmissionExceptionResponse.Of(s.Exception, keys))).ToList();
}
