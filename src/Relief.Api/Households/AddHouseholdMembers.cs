using System.ComponentModel.DataAnnotations;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Households;

/// <summary>
/// A department's upload of members: many people added to one or more existing households in one
/// request and one transaction, all or nothing. Each record is the body of
/// <c>POST /api/households/{householdId}/members</c> with the household it goes to.
/// </summary>
public sealed record AddHouseholdMembers(
    [property: Required, MinLength(1), MaxLength(AddHouseholdMembersEndpoint.MaxMembers)] IReadOnlyList<HouseholdMemberRecord?>? Members)
    : IHasExample<AddHouseholdMembers>
{
    public static AddHouseholdMembers Example { get; } = new(
    [
        new HouseholdMemberRecord(ExampleIds.Household, null, new MemberInput("李桂兰",
            Core.Identity.ResidentId.Create("410823", new DateOnly(1952, 6, 1), 102), null, Relation.Spouse, new DateOnly(1952, 6, 1),
            Gender.Female, "13912345678", null, null, DependencyLevel.Partial)),
    ]);
}

/// <summary>
/// One member of the batch: the household (<c>householdId</c>), optionally the household's version the
/// sender last read (<c>version</c>: a stale one refuses the record with 409; left out, the member is
/// added to the household as it stands), and the member.
/// </summary>
public sealed record HouseholdMemberRecord([property: Required] Guid? HouseholdId, int? Version, [property: Required] MemberInput? Member);

/// <summary>What a batch of members that was written answers: each record's new member, in the order sent.</summary>
public sealed record AddedMembers(int Count, IReadOnlyList<AddedMember> Members) : IStreamVersioned<AddedMembers>, IHasExample<AddedMembers>
{
    public static AddedMembers Example { get; } = new(1, [new AddedMember(0, ExampleIds.Household, ExampleIds.Member) { Version = 3 }]);

    public AddedMembers WithVersions(StreamVersions streams) =>
        this with { Members = Members.Select(m => m with { Version = streams.Of(m.HouseholdId) }).ToList() };
}

/// <summary>One added member: its index in the batch, its household and the household's version after the batch.</summary>
public sealed record AddedMember
{
    public AddedMember(int index, Guid householdId, Guid memberId) =>
        (Index, HouseholdId, MemberId, Url) = (index, householdId, memberId, $"/api/households/{householdId}");

    public int Index { get; }
    public Guid HouseholdId { get; }
    public Guid MemberId { get; }
    public int Version { get; init; }
    public string Url { get; }
}

/// <summary>
/// What the batch loaded: each named household fetched for writing (its version is checked at
/// commit), the problem of each that cannot be written to (404, closed 409), and the resident IDs
/// active elsewhere.
/// </summary>
public sealed record MemberBatch(
    IReadOnlyDictionary<Guid, IEventStream<Household>> Households,
    IReadOnlyDictionary<Guid, ProblemDetails> Unwritable,
    IReadOnlyList<ResidentConflict> Conflicts);

public static class AddHouseholdMembersEndpoint
{
    public const int MaxMembers = 1000;

    public const string Prefix = "members";

    public static async Task<MemberBatch> LoadAsync(AddHouseholdMembers command, IDocumentSession session, PersonalDataVault vault,
        Caller caller, HttpContext context, DateTimeOffset now, CancellationToken token)
    {
        var records = command.Members ?? [];
        if (records.Count is 0 or > MaxMembers) return new MemberBatch(new Dictionary<Guid, IEventStream<Household>>(), new Dictionary<Guid, ProblemDetails>(), []);

        var households = new Dictionary<Guid, IEventStream<Household>>();
        var unwritable = new Dictionary<Guid, ProblemDetails>();
        foreach (var id in records.Select(r => r?.HouseholdId).OfType<Guid>().Distinct())
        {
            if (await HouseholdRules.Stream.CheckAsync(id, session, token) is { } problem) unwritable[id] = problem;
            else households[id] = await session.Events.FetchForWriting<Household>(id, token);
        }

        var conflicts = await ResidentRegistry.Conflicts(
            records.Select((r, i) => ($"{Prefix}[{i}].member.residentId", r?.Member?.ResidentId)), [], vault, session, caller, context,
            now, token);
        return new MemberBatch(households, unwritable, conflicts);
    }

    /// <summary>
    /// Every record is checked as a single addition would be, and against the records before it (one
    /// head per household, one resident ID once). One refused record refuses the batch, and the
    /// problem lists every record's outcome.
    /// </summary>
    public static ProblemDetails Validate(AddHouseholdMembers command, MemberBatch batch, Caller caller, PersonalDataVault vault,
        DateTimeOffset now)
    {
        if (command.Members is null) return Problems.Validation(new Dictionary<string, string[]> { [Prefix] = ["is required."] });
        var records = command.Members;
        if (records.Count is 0 or > MaxMembers)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                [Prefix] = [$"has 1 to {MaxMembers} members; got {records.Count}."],
            });
        }

        var today = ChinaTime.Today(now);
        var residents = new Dictionary<string, int>(StringComparer.Ordinal);
        var heads = new Dictionary<Guid, int>();
        var outcomes = new List<RecordOutcome>();
        for (var i = 0; i < records.Count; i++)
        {
            var prefix = $"{Prefix}[{i}].";
            var problem = Check(records[i], i, batch, caller, vault, now, today, residents, heads, prefix);
            outcomes.Add(problem is null ? new RecordOutcome(i, RecordOutcome.Valid) : RecordOutcome.RefusedWith(i, problem, prefix));
        }

        return BatchProblem.Of(outcomes);
    }

    private static ProblemDetails? Check(HouseholdMemberRecord? record, int index, MemberBatch batch, Caller caller, PersonalDataVault vault,
        DateTimeOffset now, DateOnly today, Dictionary<string, int> residents, Dictionary<Guid, int> heads, string prefix)
    {
        var errors = new FieldErrors();
        if (record is null)
        {
            errors.Add("body", "is required.");
            return errors.ToProblem();
        }

        if (record.HouseholdId is not { } householdId)
        {
            errors.Add("householdId", "is required.");
            if (record.Member is null) errors.Add("member", "is required.");
            else record.Member.Validate("member.", errors, today);
            return errors.ToProblem();
        }

        if (batch.Unwritable.TryGetValue(householdId, out var unwritable)) return unwritable;
        var household = batch.Households[householdId].Aggregate!;
        if (record.Version is { } version && version != household.Version)
        {
            return Problems.Conflict(ProblemTypes.ConcurrencyConflict, "The household changed since it was read.",
                $"Household {householdId} is at version {household.Version}, not {version}; read it again.");
        }

        var own = batch.Conflicts.Where(c => c.Field.StartsWith(prefix, StringComparison.Ordinal))
            .Select(c => c with { Field = c.Field[prefix.Length..] }).ToList();
        var problem = Problems.FirstOf(
            HouseholdRules.Access(household, caller),
            HouseholdRules.ValidateMember(record.Member, household, null, vault, now),
            ResidentRegistry.Problem(own, caller, household.Id));
        if (!ReferenceEquals(problem, WolverineContinue.NoProblems)) return problem;

        var member = record.Member!;
        if (member.Relation == Relation.Head)
        {
            if (heads.TryGetValue(householdId, out var earlier))
            {
                errors.Add("member.relation", $"The household gets a head in record {earlier} of the batch already.");
                return errors.ToProblem();
            }

            heads[householdId] = index;
        }

        if (member.ResidentId is not null)
        {
            var id = Core.Identity.ResidentId.Validate(member.ResidentId, today).Value!;
            if (residents.TryGetValue(id, out var earlier))
            {
                return Problems.Conflict(ProblemTypes.DuplicateResident, "The resident ID is in an earlier record of the batch.",
                    $"The resident ID in 'member.residentId' is also in record {earlier}; one resident ID is active in one household.");
            }

            residents[id] = index;
        }

        return null;
    }

    [WolverinePost("/api/household-members/batch"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (AddedMembers, IMartenOp) Post(AddHouseholdMembers command, MemberBatch batch, PersonalDataVault vault, DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        var added = new List<AddedMember>();
        var additions = new List<MemberAddition>();
        foreach (var (record, index) in command.Members!.Select((r, i) => (r!, i)))
        {
            var householdId = record.HouseholdId!.Value;
            var memberId = Guid.CreateVersion7(now);
            var (key, person) = vault.NewPerson(memberId, householdId, now);
            var residentIndex = record.Member!.ResidentIndex(vault, today);
            additions.Add(new MemberAddition(batch.Households[householdId],
                new HouseholdMemberAdded(householdId, memberId, record.Member.ToRecord(person, vault, today)), key,
                residentIndex is null ? null : new ActiveResident { Id = memberId, HouseholdId = householdId, ResidentIdIndex = residentIndex }));
            added.Add(new AddedMember(index, householdId, memberId));
        }

        return (new AddedMembers(added.Count, added), new AddMembersOp(additions));
    }
}

/// <summary>One member of a batch about to be added: the household's fetched stream, the event, the person's key, the resident-index row.</summary>
public sealed record MemberAddition(IEventStream<Household> Household, HouseholdMemberAdded Event, PersonDataKey Key, ActiveResident? Resident);

/// <summary>Appends every member to its household's fetched stream (checked against the version read, at commit), with their keys and index rows.</summary>
public sealed record AddMembersOp(IReadOnlyList<MemberAddition> Additions) : IMartenOp
{
    public void Execute(IDocumentSession session)
    {
        foreach (var addition in Additions)
        {
            addition.Household.AppendOne(addition.Event);
            session.Store(addition.Key);
            if (addition.Resident is not null) session.Store(addition.Resident);
        }
    }
}
