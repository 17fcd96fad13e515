using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Households;

/// <summary>
/// A department's upload: many households registered in one request and one transaction, all or
/// nothing. Each record is the body of <c>POST /api/households</c>.
/// </summary>
public sealed record RegisterHouseholds(IReadOnlyList<RegisterHousehold?>? Households) : IHasExample<RegisterHouseholds>
{
    public static RegisterHouseholds Example { get; } = new([RegisterHousehold.Example, RegisterHousehold.Example with { HeadName = "李四", Address = "西关村三组 5 号", Members = [] }]);
}

/// <summary>What a batch that was written answers: each record's new household, in the order sent.</summary>
public sealed record RegisteredHouseholds(int Count, IReadOnlyList<RegisteredRecord> Households)
    : IStreamVersioned<RegisteredHouseholds>, IHasExample<RegisteredHouseholds>
{
    public static RegisteredHouseholds Example { get; } = new(2,
    [
        new RegisteredRecord(0, ExampleIds.Household, $"/api/households/{ExampleIds.Household}") { Version = 2 },
        new RegisteredRecord(1, ExampleIds.OtherHousehold, $"/api/households/{ExampleIds.OtherHousehold}") { Version = 1 },
    ]);

    public RegisteredHouseholds WithVersions(StreamVersions streams) =>
        this with { Households = Households.Select(h => h with { Version = streams.Of(h.Id) }).ToList() };
}

/// <summary>One registered record: its index in the batch and its household.</summary>
public sealed record RegisteredRecord
{
    public RegisteredRecord(int index, Guid id, string url) => (Index, Id, Url) = (index, id, url);

    // Declared one by one (not positional) so that the version, filled in from the stream, stays between the id and the url in the body.
    public int Index { get; }
    public Guid Id { get; }
    public int Version { get; init; }
    public string Url { get; }
}

public static class RegisterHouseholdsEndpoint
{
    public const int MaxHouseholds = 1000;

    public const string Prefix = "households";

    public static Task<IReadOnlyList<ResidentConflict>> LoadAsync(RegisterHouseholds command, PersonalDataVault vault,
        IQuerySession session, Caller caller, HttpContext context, DateTimeOffset now, CancellationToken token) =>
        ResidentRegistry.Conflicts(
            (command.Households ?? []).SelectMany((h, i) => (h?.Members ?? [])
                .Select((m, k) => ($"{Prefix}[{i}].members[{k}].residentId", m?.ResidentId))),
            [], vault, session, caller, context, now, token);

    /// <summary>
    /// Every record is checked as a single registration would be, and against the records before it
    /// (one resident ID in one household). One refused record refuses the batch, and the problem
    /// lists every record's outcome.
    /// </summary>
    public static ProblemDetails Validate(RegisterHouseholds command, IReadOnlyList<ResidentConflict> conflicts,
        TownshipDirectory townships, Caller caller, DateTimeOffset now)
    {
        var records = command.Households ?? [];
        if (records.Count == 0 || records.Count > MaxHouseholds)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                [Prefix] = [$"has 1 to {MaxHouseholds} households; got {records.Count}."],
            });
        }

        var today = ChinaTime.Today(now);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var outcomes = new List<RecordOutcome>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var prefix = $"{Prefix}[{i}].";
            if (record is null)
            {
                outcomes.Add(Refused(i, Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["is required."] }), prefix));
                continue;
            }

            var own = conflicts.Where(c => c.Field.StartsWith(prefix, StringComparison.Ordinal))
                .Select(c => c with { Field = c.Field[prefix.Length..] }).ToList();
            var problem = RegisterHouseholdEndpoint.Validate(record, own, townships, caller, now);
            if (problem != Wolverine.Http.WolverineContinue.NoProblems)
            {
                outcomes.Add(Refused(i, problem, prefix));
                continue;
            }

            var repeated = RepeatedResident(record, i, seen, today);
            outcomes.Add(repeated is null ? new RecordOutcome(i, RecordOutcome.Valid) : Refused(i, repeated, prefix));
        }

        return BatchProblem.Of(outcomes);
    }

    [WolverinePost("/api/households/batch"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (RegisteredHouseholds, IMartenOp) Post(RegisterHouseholds command, TownshipDirectory townships,
        PersonalDataVault vault, DateTimeOffset now)
    {
        var registrations = command.Households!.Select(h => RegisterHouseholdEndpoint.Decide(h!, townships, vault, now)).ToList();
        var records = registrations
            .Select((r, i) => new RegisteredRecord(i, r.Id, $"/api/households/{r.Id}"))
            .ToList();
        return (new RegisteredHouseholds(records.Count, records), new StartHouseholds(registrations));
    }

    /// <summary>A resident ID an earlier record of the batch already names: 409, as it would be once that record was written.</summary>
    private static ProblemDetails? RepeatedResident(RegisterHousehold record, int index, Dictionary<string, int> seen, DateOnly today)
    {
        ProblemDetails? problem = null;
        var members = record.Members ?? [];
        for (var k = 0; k < members.Count; k++)
        {
            var check = Core.Identity.ResidentId.Validate(members[k]?.ResidentId, today);
            if (!check.IsValid) continue;
            if (seen.TryGetValue(check.Value!, out var earlier))
            {
                problem ??= Problems.Conflict(ProblemTypes.DuplicateResident, "The resident ID is in an earlier record of the batch.",
                    $"The resident ID in 'members[{k}].residentId' is also in record {earlier}; one resident ID is active in one household.");
            }
            else
            {
                seen[check.Value!] = index;
            }
        }

        return problem;
    }

    private static RecordOutcome Refused(int index, ProblemDetails problem, string prefix) => RecordOutcome.RefusedWith(index, problem, prefix);
}

/// <summary>Starts each household's stream and stores its data key, in the request's one transaction.</summary>
public sealed record StartHouseholds(IReadOnlyList<HouseholdRegistration> Registrations) : IMartenOp
{
    public void Execute(IDocumentSession session)
    {
        foreach (var registration in Registrations)
        {
            session.Events.StartStream<Household>(registration.Id, registration.Events);
            registration.StoreKeys().Execute(session);
        }
    }
}
