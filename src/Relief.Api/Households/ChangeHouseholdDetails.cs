using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Marten.Services.BatchQuerying;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>
/// Correct or update a household's own facts: village, head's name, address, poverty cause (the
/// whole new state). The township does not change: a household that moves to another township
/// is closed there (MovedAway) and registered anew by the township it moved to.
/// </summary>
public sealed record ChangeHouseholdDetails(
    [property: JsonRequired] int Version, [property: Required, MaxLength(50)] string? Village, [property: Required, MaxLength(MemberInput.MaxNameLength)] string? HeadName, [property: Required, MaxLength(200)] string? Address, [property: Required] PovertyCause? PovertyCause) : IHasExample<ChangeHouseholdDetails>
{
    public static ChangeHouseholdDetails Example { get; } = new(3, "东关村", "张三", "东关村二组 12 号", Households.PovertyCause.Disability);
}

/// <summary>The keys a household holds: its own (null once erased) and those of the people it holds.</summary>
public sealed record HeldKeys(HouseholdDataKey? Record, IReadOnlyList<PersonDataKey> People);

/// <summary>
/// The keys household <paramref name="HouseholdId"/> holds, as a Marten query plan: Wolverine reads it
/// in the same round trip as the write model (one batched query).
/// </summary>
public sealed record HeldKeysOf(Guid HouseholdId) : IBatchQueryPlan<HeldKeys>, IQueryPlan<HeldKeys>
{
    public async Task<HeldKeys> Fetch(IBatchedQuery query)
    {
        var record = query.Load<HouseholdDataKey>(HouseholdId);
        var people = query.Query<PersonDataKey>().Where(k => k.HolderId == HouseholdId).ToList();
        return new HeldKeys(await record, await people);
    }

    public async Task<HeldKeys> Fetch(IQuerySession session, CancellationToken token)
    {
        var batch = session.CreateBatchQuery();
        var keys = Fetch(batch);
        await batch.Execute(token);
        return await keys;
    }
}

public static class ChangeHouseholdDetailsEndpoint
{
    /// <summary>The household's key and the person keys it holds, read with the write model.</summary>
    public static HeldKeysOf Load(Guid householdId) => new(householdId);

    public static ProblemDetails Validate(ChangeHouseholdDetails command, Household household, HeldKeys keys, Caller caller)
    {
        var errors = new FieldErrors();
        errors.RequireText("village", command.Village, 50);
        errors.RequireText("headName", command.HeadName, MemberInput.MaxNameLength);
        errors.RequireText("address", command.Address, 200);
        if (command.PovertyCause is null) errors.Add("povertyCause", "is required.");
        return Problems.FirstOf(HouseholdRules.Access(household, caller), errors.ToProblem(),
            household.PersonalDataErased || keys.Record is null
                ? Problems.Conflict(ProblemTypes.Conflict, "The household's personal data was erased.",
                    "Its key was forgotten at an erasure request: its address can no longer be recorded.")
                : null);
    }

    /// <summary>
    /// The head's name is sealed under the current head's key: the member who is head, else the
    /// person key the head's name was sealed under before; when neither key is held any more (erased,
    /// or the head moved away), under a new person key of its own. A forgotten key is never made again
    /// under its old id: that would open what it sealed before the erasure.
    /// </summary>
    [WolverinePut("/api/households/{householdId}"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (HouseholdSaved, Events, IMartenOp) Put(ChangeHouseholdDetails command, [WriteModel] Household household,
        HeldKeys keys, PersonalDataVault vault, DateTimeOffset now)
    {
        var held = keys.People.ToDictionary(k => k.Id);
        var current = new[] { household.HeadId, household.HeadPersonId }
            .OfType<Guid>()
            .Where(id => !household.ErasedMembers.Contains(id) && held.ContainsKey(id))
            .Select(id => held[id])
            .FirstOrDefault();
        IMartenOp store = MartenOps.Nothing();
        DataProtector head;
        if (current is null)
        {
            var (key, fresh) = vault.NewPerson(Guid.CreateVersion7(now), household.Id, now);
            store = MartenOps.Store(key);
            head = fresh;
        }
        else
        {
            head = vault.ForPerson(current.Id, current);
        }

        var record = vault.ForHousehold(household.Id, keys.Record);
        return (new HouseholdSaved(household.Id),
            [new HouseholdDetailsChanged(household.Id, command.Village!.Trim(),
                head.Protect(SealedFields.HeadName, command.HeadName!.Trim()),
                record.Protect(SealedFields.Address, command.Address!.Trim()), command.PovertyCause!.Value,
                DataProtector.PersonOf(head.KeyId))],
            store);
    }
}
