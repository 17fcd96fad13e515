using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Supervision;

/// <summary>
/// Record the check of one family or household of the round (<c>SubjectId</c>) on <c>CheckedOn</c>: <c>Confirmed</c>,
/// or <c>Changed</c> with a <c>Note</c> saying what changed.
/// </summary>
public sealed record RecordVerification([property: JsonRequired] int Version, Guid? SubjectId, [property: Required] VerificationOutcome? Outcome, DateOnly? CheckedOn,
    [property: MaxLength(1000)] string? Note) : IHasExample<RecordVerification>
{
    public static RecordVerification Example { get; } = new(1, ExampleIds.Family, VerificationOutcome.Confirmed, new DateOnly(2020, 10, 1), "入户核实，贷款用于养殖，与申请一致。");
}

/// <summary>Close the round on <c>ClosedOn</c>; its figures are counted then.</summary>
public sealed record CloseVerificationRound([property: JsonRequired] int Version, DateOnly? ClosedOn) : IHasExample<CloseVerificationRound>
{
    public static CloseVerificationRound Example { get; } = new(3, new DateOnly(2020, 10, 1));
}

/// <summary>What a change to a verification round answers.</summary>
public sealed record VerificationRoundSaved(Guid RoundId) : IStreamVersioned<VerificationRoundSaved>, IHasExample<VerificationRoundSaved>
{
    public static VerificationRoundSaved Example { get; } = new(ExampleIds.Round) { Version = 2 };

    public int Version { get; init; }

    public VerificationRoundSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(RoundId) };
}

public static class RecordVerificationEndpoint
{
    /// <summary>The key of the family or household checked (it seals the note).</summary>
    public static async Task<DataProtector?> LoadAsync(RecordVerification command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        command.SubjectId is { } subject ? await vault.ForHousehold(session, subject, token) : null;

    /// <summary>
    /// A subject due in the round, an outcome, a date from the round's opening to today, and a note when changed (400);
    /// the round's own department (403); an open round (409 <c>round-closed</c>) and a subject not checked yet
    /// (409 <c>already-checked</c>).
    /// </summary>
    public static ProblemDetails Validate(RecordVerification command, VerificationRound round, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.SubjectId is not { } subject) errors.Add("subjectId", "is required.");
        else if (!round.Due.ContainsKey(subject)) errors.Add("subjectId", "is not a family or household due in this round.");
        if (command.Outcome is null) errors.Add("outcome", "is required.");
        SupervisionRules.RequirePastDate(errors, "checkedOn", command.CheckedOn, now);
        VerificationRules.NotBeforeOpening(errors, "checkedOn", command.CheckedOn, round);
        if (command.Outcome == VerificationOutcome.Changed) errors.RequireText("note", command.Note, 1000);
        else errors.OptionalText("note", command.Note, 1000);
        if (errors.Any) return errors.ToProblem();

        return Problems.FirstOf(
            VerificationRules.OwnRound(round, caller),
            SupervisionRules.Access(round.Township, caller, "round"),
            VerificationRules.StillOpen(round),
            round.Checked.TryGetValue(command.SubjectId!.Value, out var outcome)
                ? Problems.Conflict(ProblemTypes.AlreadyChecked, "Already checked in this round.",
                    $"{command.SubjectId} was checked in round {round.Id} ({outcome}); a round checks each once.")
                : null);
    }

    [WolverinePost("/api/verification-rounds/{roundId}/checks"), Tags("Verification rounds")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.VerificationRounds)]
    public static (VerificationRoundSaved, Events) Post(RecordVerification command, [WriteModel("roundId")] VerificationRound round,
        DataProtector? record) =>
        (new VerificationRoundSaved(round.Id),
            [new VerificationChecked(round.Id, command.SubjectId!.Value, command.Outcome!.Value, command.CheckedOn!.Value,
                record!.SealText(SealedFields.Note, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim()))]);
}

public static class CloseVerificationRoundEndpoint
{
    /// <summary>A date from the round's opening to today (400); the round's own department (403); not closed yet (409 <c>round-closed</c>).</summary>
    public static ProblemDetails Validate(CloseVerificationRound command, VerificationRound round, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        SupervisionRules.RequirePastDate(errors, "closedOn", command.ClosedOn, now);
        VerificationRules.NotBeforeOpening(errors, "closedOn", command.ClosedOn, round);
        if (errors.Any) return errors.ToProblem();
        return Problems.FirstOf(VerificationRules.OwnRound(round, caller), SupervisionRules.Access(round.Township, caller, "round"),
            VerificationRules.StillOpen(round));
    }

    /// <summary>The round's figures as it closes: due, confirmed, found changed and left unchecked.</summary>
    public static VerificationRoundClosed Decide(CloseVerificationRound command, VerificationRound round)
    {
        var confirmed = round.Checked.Values.Count(o => o == VerificationOutcome.Confirmed);
        var changed = round.Checked.Values.Count(o => o == VerificationOutcome.Changed);
        return new VerificationRoundClosed(round.Id, command.ClosedOn!.Value, round.Due.Count, confirmed, changed, round.Due.Count - confirmed - changed);
    }

    [WolverinePost("/api/verification-rounds/{roundId}/close"), Tags("Verification rounds")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.VerificationRounds)]
    public static (VerificationRoundSaved, Events) Post(CloseVerificationRound command, [WriteModel("roundId")] VerificationRound round) =>
        (new VerificationRoundSaved(round.Id), [Decide(command, round)]);
}
