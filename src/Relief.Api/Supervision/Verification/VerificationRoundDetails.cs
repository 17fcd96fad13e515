using Marten;
using Marten.Events.Aggregation;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Audit.Corrections;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Protection;
using Wolverine.Http;

namespace Relief.Api.Supervision;

/// <summary>A family or household of a round and its check, if made (the note sealed as in the event).</summary>
public sealed record RoundEntry(Guid SubjectId, RoundSubjectKind Kind, Guid? CaseId, VerificationOutcome? Outcome, DateOnly? CheckedOn,
    ProtectedValue? Note);

/// <summary>The stored view of one verification round (inline).</summary>
public sealed class VerificationRoundDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Township { get; set; } = "";
    public ExtendedPolicy Policy { get; set; }
    public Department Department { get; set; }
    public DateOnly OpenedOn { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public List<RoundEntry> Entries { get; set; } = [];
}

/// <summary>A round's entry as the API shows it: the note opened (<c>[erased]</c> once erased).</summary>
public sealed record RoundEntryResponse(Guid SubjectId, RoundSubjectKind Kind, Guid? CaseId, VerificationOutcome? Outcome, DateOnly? CheckedOn,
    string? Note);

/// <summary>
/// A verification round as the API shows it: open or closed, its figures (due, confirmed, changed, unchecked:
/// as they stand while open, as closed once closed) and every family or household due, checked or not.
/// </summary>
public sealed record VerificationRoundResponse(
    Guid Id, int Version, string Township, ExtendedPolicy Policy, Department Department, DateOnly OpenedOn, DateOnly? ClosedOn, bool Open,
    int Due, int Confirmed, int Changed, int Unchecked, IReadOnlyList<RoundEntryResponse> Entries)
{
    public static VerificationRoundResponse Of(VerificationRoundDetails r, KeyChain keys)
    {
        var confirmed = r.Entries.Count(e => e.Outcome == VerificationOutcome.Confirmed);
        var changed = r.Entries.Count(e => e.Outcome == VerificationOutcome.Changed);
        return new VerificationRoundResponse(r.Id, r.Version, r.Township, r.Policy, r.Department, r.OpenedOn, r.ClosedOn, r.ClosedOn is null,
            r.Entries.Count, confirmed, changed, r.Entries.Count - confirmed - changed,
            r.Entries.Select(e => new RoundEntryResponse(e.SubjectId, e.Kind, e.CaseId, e.Outcome, e.CheckedOn, keys.ShowText(SealedFields.Note, e.Note)))
                .ToList());
    }

    public static async Task<IReadOnlyList<VerificationRoundResponse>> Of(IReadOnlyList<VerificationRoundDetails> rounds, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var keys = await vault.Keys(session, rounds.SelectMany(r => r.Entries.Select(e => e.Note)), token);
        return rounds.Select(r => Of(r, keys)).ToList();
    }
}

public sealed partial class VerificationRoundDetailsProjection : SingleStreamProjection<VerificationRoundDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, VerificationRoundDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static VerificationRoundDetails? Create(EntryVoided e) => null;

    public static VerificationRoundDetails Create(VerificationRoundOpened e) => new()
    {
        Id = e.RoundId, Township = e.Township, Policy = e.Policy, Department = e.Department, OpenedOn = e.OpenedOn,
        Entries = e.Due.Select(d => new RoundEntry(d.SubjectId, d.Kind, d.CaseId, null, null, null)).ToList(),
    };

    public static void Apply(VerificationChecked e, VerificationRoundDetails view) =>
        view.Entries = view.Entries.Select(x => x.SubjectId == e.SubjectId ? x with { Outcome = e.Outcome, CheckedOn = e.CheckedOn, Note = e.Note } : x)
            .ToList();

    public static void Apply(VerificationRoundClosed e, VerificationRoundDetails view) => view.ClosedOn = e.ClosedOn;
}

public static class GetVerificationRoundEndpoint
{
    public static async Task<(VerificationRoundDetails?, KeyChain)> LoadAsync(Guid roundId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var round = await session.LoadAsync<VerificationRoundDetails>(roundId, token);
        return (round, round is null ? KeyChain.Empty : await vault.Keys(session, round.Entries.Select(e => e.Note), token));
    }

    public static ProblemDetails Validate(VerificationRoundDetails? round, Guid roundId, Caller caller) =>
        round is null ? VerificationRules.NotFound(roundId) : TownshipScope.Access(round.Township, caller, "round") ?? WolverineContinue.NoProblems;

    [WolverineGet("/api/verification-rounds/{roundId}"), Tags("Verification rounds")]
    [Authorize(Scopes.HouseholdsRead)]
    public static VerificationRoundResponse Get(Guid roundId, VerificationRoundDetails round, KeyChain keys) => VerificationRoundResponse.Of(round, keys);
}

public static class ListVerificationRoundsEndpoint
{
    public static ProblemDetails Validate(string? township, string? policy, string? open, string? cursor, string? limit, TownshipDirectory townships,
        Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (policy is not null && !Enum.TryParse<ExtendedPolicy>(policy, false, out _))
            errors.Add("policy", $"is one of {string.Join(", ", Enum.GetNames<ExtendedPolicy>())}.");
        QueryValues.ValidateBool("open", open, errors);
        QueryValues.ValidatePaging(cursor, limit, errors);
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>Verification rounds in the order opened, filtered by <c>township</c>, <c>policy</c> and <c>open</c>.</summary>
    [WolverineGet("/api/verification-rounds"), Tags("Verification rounds")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<VerificationRoundResponse>> Get(string? township, string? policy, string? open, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<VerificationRoundDetails>().AsQueryable();
        if (TownshipScope.Of(township, caller, townships) is { } code) query = query.Where(x => x.Township == code);
        if (policy is not null)
        {
            var asked = Enum.Parse<ExtendedPolicy>(policy);
            query = query.Where(x => x.Policy == asked);
        }

        if (QueryValues.Bool(open) is { } isOpen) query = isOpen ? query.Where(x => x.ClosedOn == null) : query.Where(x => x.ClosedOn != null);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));
        var found = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var items = found.Take(size).ToList();
        return new Page<VerificationRoundResponse>(await VerificationRoundResponse.Of(items, session, vault, token),
            found.Count > size ? items[^1].Id.ToString() : null);
    }
}
