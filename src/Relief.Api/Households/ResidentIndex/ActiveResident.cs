using Marten;
using Marten.Events.Projections;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Identity;

namespace Relief.Api.Households;

/// <summary>
/// A resident ID active in a household, by its blind index. The index is unique in the database,
/// so that one resident ID is active in one household at a time, even under concurrent writes.
/// </summary>
public sealed class ActiveResident
{
    /// <summary>The member id.</summary>
    public Guid Id { get; set; }
    public Guid HouseholdId { get; set; }
    public string ResidentIdIndex { get; set; } = "";
}

/// <summary>Keeps <see cref="ActiveResident"/> in step with the household streams (inline).</summary>
public sealed partial class ActiveResidentProjection : EventProjection
{
    public void Project(HouseholdMemberAdded e, IDocumentOperations ops) => Register(e.HouseholdId, e.MemberId, e.Member, ops);

    public void Project(HouseholdMemberChanged e, IDocumentOperations ops) => Register(e.HouseholdId, e.MemberId, e.Member, ops);

    public void Project(HouseholdMemberMovedIn e, IDocumentOperations ops) => Register(e.HouseholdId, e.MemberId, e.Member, ops);

    public void Project(HouseholdMemberRemoved e, IDocumentOperations ops) => ops.Delete<ActiveResident>(e.MemberId);

    public void Project(HouseholdClosed e, IDocumentOperations ops) =>
        ops.DeleteWhere<ActiveResident>(r => r.HouseholdId == e.HouseholdId);

    private static void Register(Guid householdId, Guid memberId, MemberRecord member, IDocumentOperations ops)
    {
        if (member.ResidentIdIndex is null) ops.Delete<ActiveResident>(memberId);
        else ops.Store(new ActiveResident { Id = memberId, HouseholdId = householdId, ResidentIdIndex = member.ResidentIdIndex });
    }
}

/// <summary>A resident ID that is active in another household.</summary>
public sealed record ResidentConflict(string Field, Guid HouseholdId);

/// <summary>Finds resident IDs already active in another household.</summary>
public static class ResidentRegistry
{
    /// <summary>
    /// The conflicts among the given (field, resident ID) pairs; members in <paramref name="ownMembers"/>
    /// (the same person being changed or moved) do not conflict with themselves.
    /// </summary>
    public static async Task<IReadOnlyList<ResidentConflict>> Conflicts(
        IEnumerable<(string Field, string? ResidentId)> candidates, IReadOnlyCollection<Guid> ownMembers,
        PersonalDataVault vault, IQuerySession session, DateOnly today, CancellationToken token)
    {
        var indexes = candidates
            .Select(c => (c.Field, Check: ResidentId.Validate(c.ResidentId, today)))
            .Where(c => c.Check.IsValid)
            .Select(c => (c.Field, Index: vault.BlindIndex(BlindIndexKinds.ResidentId, c.Check.Value!)))
            .ToList();
        if (indexes.Count == 0) return [];

        var values = indexes.Select(i => i.Index).ToArray();
        var active = await session.Query<ActiveResident>().Where(r => values.Contains(r.ResidentIdIndex)).ToListAsync(token);
        return indexes
            .SelectMany(i => active.Where(a => a.ResidentIdIndex == i.Index && !ownMembers.Contains(a.Id))
                .Select(a => new ResidentConflict(i.Field, a.HouseholdId)))
            .ToList();
    }

    /// <summary>409 naming the household where a resident ID is already active, or null.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails? Problem(IReadOnlyList<ResidentConflict> conflicts)
    {
        if (conflicts.Count == 0) return null;
        var first = conflicts[0];
        var problem = Infrastructure.Problems.Problems.Conflict(Infrastructure.Problems.ProblemTypes.DuplicateResident,
            "The resident ID is active in another household.",
            $"The resident ID in '{first.Field}' is active in household {first.HouseholdId}; move the member from there instead.");
        problem.Extensions["householdId"] = first.HouseholdId;
        problem.Extensions["field"] = first.Field;
        return problem;
    }
}
