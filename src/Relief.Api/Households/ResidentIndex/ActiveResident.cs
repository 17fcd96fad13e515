using Marten;
using Wolverine.Marten;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
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

/// <summary>
/// The resident index is kept by the endpoints that change a member, in the same transaction as
/// their events, not by a projection: the blind index is in no event (an erasure must be able to
/// forget it), so the rows cannot be rebuilt from the events and no rebuild may touch them.
/// </summary>
public static class ResidentIndexOps
{
    /// <summary>The member's row as it now stands: stored with its index, or deleted without one.</summary>
    public static IMartenOp Record(Guid memberId, Guid householdId, string? index) =>
        index is null
            ? MartenOps.Delete<ActiveResident>(memberId)
            : MartenOps.Store(new ActiveResident { Id = memberId, HouseholdId = householdId, ResidentIdIndex = index });

    /// <summary>The member's row deleted (removed, erased).</summary>
    public static IMartenOp Forget(Guid memberId) => MartenOps.Delete<ActiveResident>(memberId);

    /// <summary>Every row of the household deleted (closed, erased).</summary>
    public static IMartenOp ForgetHousehold(Guid householdId) => MartenOps.DeleteWhere<ActiveResident>(r => r.HouseholdId == householdId);
}

/// <summary>A resident ID that is active in another household, and that household's township.</summary>
public sealed record ResidentConflict(string Field, Guid HouseholdId, string Township);

/// <summary>
/// Finds resident IDs already active in another household, without becoming an oracle: the 409
/// names the household only to a caller who may read it, and every conflict found is recorded as a
/// disclosure (<see cref="DisclosureKind.Confirmed"/>), since it tells the caller that the person
/// is in the county's safety net.
/// </summary>
public static class ResidentRegistry
{
    /// <summary>
    /// The conflicts among the given (field, resident ID) pairs; members in <paramref name="ownMembers"/>
    /// (the same person being changed or moved) do not conflict with themselves. A conflict found is
    /// recorded as a disclosure at once, in a session of its own: the request then answers 409 and
    /// writes nothing else, but the probe stays on record.
    /// </summary>
    public static async Task<IReadOnlyList<ResidentConflict>> Conflicts(
        IEnumerable<(string Field, string? ResidentId)> candidates, IReadOnlyCollection<Guid> ownMembers,
        PersonalDataVault vault, IQuerySession session, Caller caller, HttpContext context, DateTimeOffset now,
        CancellationToken token)
    {
        var today = ChinaTime.Today(now);
        var indexes = candidates
            .Select(c => (c.Field, Check: ResidentId.Validate(c.ResidentId, today)))
            .Where(c => c.Check.IsValid)
            .Select(c => (c.Field, Index: vault.BlindIndex(BlindIndexKinds.ResidentId, c.Check.Value!)))
            .ToList();
        if (indexes.Count == 0) return [];

        var values = indexes.Select(i => i.Index).ToArray();
        var active = await session.Query<ActiveResident>().Where(r => values.Contains(r.ResidentIdIndex)).ToListAsync(token);
        var found = indexes
            .SelectMany(i => active.Where(a => a.ResidentIdIndex == i.Index && !ownMembers.Contains(a.Id))
                .Select(a => (i.Field, a.HouseholdId)))
            .ToList();
        if (found.Count == 0) return [];

        var households = await session.LoadManyAsync<HouseholdDetails>(token, found.Select(f => f.HouseholdId).Distinct());
        var townships = households.ToDictionary(h => h.Id, h => h.Township);
        await using (var record = session.DocumentStore.LightweightSession(session.TenantId))
        {
            foreach (var household in found.Select(f => f.HouseholdId).Distinct())
            {
                var disclosed = PersonalDataDisclosure.Of(DisclosureKind.Confirmed, PersonalDataOwner.Household, household,
                    caller, context, now);
                record.Events.StartStream<PersonalDataDisclosure>(disclosed.DisclosureId, disclosed);
            }

            await record.SaveChangesAsync(token);
        }

        return found.Select(f => new ResidentConflict(f.Field, f.HouseholdId, townships.GetValueOrDefault(f.HouseholdId, ""))).ToList();
    }

    /// <summary>
    /// 409 when a resident ID is active in another household (400 when it is the member's own
    /// household, <paramref name="ownHousehold"/>), or null. The household is named only to a caller
    /// who may read it (households:read in its township); anyone else learns only that
    /// the ID is active elsewhere in the county, and who can move the member.
    /// </summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails? Problem(IReadOnlyList<ResidentConflict> conflicts, Caller caller,
        Guid? ownHousehold)
    {
        if (conflicts.Count == 0) return null;
        var first = conflicts[0];
        if (first.HouseholdId == ownHousehold)
        {
            var errors = new FieldErrors();
            errors.Add(first.Field, "Another member of this household has this resident ID.");
            return errors.ToProblem();
        }

        var named = caller.Has(Scopes.HouseholdsRead) && caller.MayTouchTownship(first.Township);
        var problem = Problems.Conflict(ProblemTypes.DuplicateResident,
            "The resident ID is active in another household.",
            named
                ? $"The resident ID in '{first.Field}' is active in household {first.HouseholdId}; move the member from there instead."
                : $"The resident ID in '{first.Field}' is active in another household of the county, which this key may not read; " +
                  "ask the county poverty-alleviation office to move the member.");
        if (named) problem.Extensions["householdId"] = first.HouseholdId;
        problem.Extensions["field"] = first.Field;
        return problem;
    }
}
