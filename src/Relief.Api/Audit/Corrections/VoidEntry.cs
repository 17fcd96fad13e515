using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Audit.Corrections;

/// <summary>Void the entry at <c>sequence</c> (its place in the global event sequence), saying why.</summary>
public sealed record VoidEntry(long? Sequence, string? Reason) : IHasExample<VoidEntry>
{
    public static VoidEntry Example { get; } = new(1234, "录入错误：该次走访记在了另一户名下。");
}

/// <summary>What voiding answers: the void's own sequence is in the stream at <c>version</c>.</summary>
public sealed record EntryVoidedSaved(Guid StreamId, long VoidedSequence) : IStreamVersioned<EntryVoidedSaved>, IHasExample<EntryVoidedSaved>
{
    public static EntryVoidedSaved Example { get; } = new(ExampleIds.Household, 1234) { Version = 8 };

    public int Version { get; init; }

    public EntryVoidedSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(StreamId) };
}

/// <summary>The entry to void, as stored, and its stream.</summary>
public sealed record VoidTarget(
    long Sequence, Guid StreamId, string EventType, string? Department, string? Township, long StreamVersion, bool Archived);

/// <summary>Appends the void to the original's stream, expecting the version read (a concurrent change is a 409).</summary>
public sealed record AppendVoid(Guid StreamId, long ExpectedVersion, EntryVoided Voided) : IMartenOp
{
    public void Execute(IDocumentSession session) => session.Events.Append(StreamId, ExpectedVersion, Voided);
}

public static class VoidEntryEndpoint
{
    private static readonly string[] WriteScopes =
        [Scopes.HouseholdsWrite, Scopes.CareWrite, Scopes.CentresWrite, Scopes.PoliciesWrite, Scopes.SupervisionWrite];

    /// <summary>Before anything is read: the body (400), then a write scope (403).</summary>
    public static ProblemDetails Before(VoidEntry command, Caller caller)
    {
        var errors = new FieldErrors();
        if (command.Sequence is null or < 1) errors.Add("sequence", "is the sequence of the entry to void (1 or more).");
        errors.RequireText("reason", command.Reason, 200);
        if (errors.Any) return errors.ToProblem();
        return WriteScopes.Any(caller.Has)
            ? WolverineContinue.NoProblems
            : Problems.Forbidden("Voiding an entry needs a write scope of the department that recorded it.");
    }

    /// <summary>The entry at the sequence and its stream: one row, by primary key.</summary>
    public static async Task<VoidTarget?> LoadAsync(VoidEntry command, NpgsqlDataSource dataSource, CancellationToken token)
    {
        if (command.Sequence is not { } sequence) return null;
        await using var sql = dataSource.CreateCommand(
            $"select e.seq_id, e.stream_id, e.mt_dotnet_type, e.type, e.headers->>'department', e.headers->>'township', s.version, " +
            "coalesce(s.is_archived, false) " +
            $"from {StoredEvents.Table} e join {ReliefStore.Schema}.mt_streams s on s.id = e.stream_id where e.seq_id = $1");
        sql.Parameters.AddWithValue(sequence);
        await using var reader = await sql.ExecuteReaderAsync(token);
        if (!await reader.ReadAsync(token)) return null;
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new VoidTarget(reader.GetInt64(0), reader.GetGuid(1), EventNames.Of(Text(2), reader.GetString(3)), Text(4), Text(5),
            reader.GetInt64(6), reader.GetBoolean(7));
    }

    /// <summary>The entry exists (404), the caller's department and township may void it (403), and it is a voidable fact (409).</summary>
    public static ProblemDetails Validate(VoidEntry command, VoidTarget? target, Caller caller)
    {
        if (target is null) return Problems.NotFound("No such entry.", $"There is no event at sequence {command.Sequence}.");
        if (caller.Department != Department.PovertyAlleviationOffice && target.Department != caller.Department.ToString())
            return Problems.Forbidden(
                $"The entry was recorded by {target.Department ?? "an unknown department"}; only that department or the poverty office may void it.");
        if (caller.Township is not null && target.Township != caller.Township)
            return Problems.Forbidden($"This key is bound to the township '{caller.Township}'; the entry was recorded for another.");
        if (target.EventType is nameof(EntryVoided) or "Archived")
            return Problems.Conflict(ProblemTypes.Conflict, "This entry cannot be voided.",
                $"A {target.EventType} is bookkeeping, not a recorded fact: record the fact again instead.");
        if (target.Archived)
            return Problems.Conflict(ProblemTypes.HouseholdClosed, "The stream is closed.",
                "The entry's stream is archived (a closed household); it takes no more events, voids included.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>Only for a caller who may void it: was it voided already (409)? Read among its own stream's events.</summary>
    public static async Task<ProblemDetails> ValidateAsync(VoidTarget target, NpgsqlDataSource dataSource, CancellationToken token) =>
        await Voids.ByAsync(dataSource, target.StreamId, target.Sequence, token) is { } by
            ? Problems.Conflict(ProblemTypes.Conflict, "The entry is already voided.", $"It was voided by the entry at sequence {by}.")
            : WolverineContinue.NoProblems;

    /// <summary>
    /// Corrects a mistaken entry by a compensating event, never by editing: appends
    /// <c>EntryVoided</c> (the stream, the voided sequence and event type, the reason, the
    /// department, the day) to the original's stream. Only the department that recorded the entry,
    /// or the poverty office, may void it; history and ledgers show both entries.
    /// </summary>
    [WolverinePost("/api/audit/corrections"), Tags("Audit")]
    [Authorize]
    public static (EntryVoidedSaved, AppendVoid) Post(VoidEntry command, VoidTarget target, Caller caller, DateTimeOffset now)
    {
        var voided = new EntryVoided(target.StreamId, target.Sequence, target.EventType, command.Reason!.Trim(), caller.Department,
            ChinaTime.Today(now));
        return (new EntryVoidedSaved(target.StreamId, target.Sequence),
            new AppendVoid(target.StreamId, target.StreamVersion + 1, voided));
    }
}
