using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Households;

/// <summary>Register a safety-net household (兜底户), optionally with its members.</summary>
public sealed record RegisterHousehold(
    [property: Required] string? Township,
    [property: Required, MaxLength(RegisterHousehold.MaxVillageLength)] string? Village,
    [property: Required, MaxLength(MemberInput.MaxNameLength)] string? HeadName,
    [property: Required, MaxLength(RegisterHousehold.MaxAddressLength)] string? Address,
    [property: Required] PovertyCause? PovertyCause,
    [property: MaxLength(RegisterHouseholdEndpoint.MaxMembers)] IReadOnlyList<MemberInput>? Members)
    : IHasExample<RegisterHousehold>
{
    public const int MaxVillageLength = 50;
    public const int MaxAddressLength = 200;

    public static RegisterHousehold Example { get; } = new("mucheng", "东关村", "张三", "东关村一组 8 号", Households.PovertyCause.Illness,
        [MemberInput.Example]);
}

public static class RegisterHouseholdEndpoint
{
    public const int MaxMembers = 30;

    public static Task<IReadOnlyList<ResidentConflict>> LoadAsync(RegisterHousehold command, PersonalDataVault vault,
        IQuerySession session, Caller caller, HttpContext context, DateTimeOffset now, CancellationToken token) =>
        ResidentRegistry.Conflicts(
            (command.Members ?? []).Select((m, i) => ($"members[{i}].residentId", m?.ResidentId)), [], vault, session,
            caller, context, now, token);

    public static ProblemDetails Validate(RegisterHousehold command, IReadOnlyList<ResidentConflict> conflicts,
        TownshipDirectory townships, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var township = townships.Find(command.Township);
        if (command.Township is null) errors.Add("township", "is required.");
        else if (township is null)
            errors.Add("township", $"is not a township of the county; allowed: {string.Join(", ", townships.All.Select(t => t.Code))}.");
        else if (TownshipScope.Access(township.Code, caller, "household") is { } forbidden)
            return forbidden;

        errors.RequireText("village", command.Village, RegisterHousehold.MaxVillageLength);
        errors.RequireText("headName", command.HeadName, MemberInput.MaxNameLength);
        errors.RequireText("address", command.Address, RegisterHousehold.MaxAddressLength);
        if (command.PovertyCause is null) errors.Add("povertyCause", "is required.");

        var members = command.Members ?? [];
        if (members.Count > MaxMembers) errors.Add("members", $"has at most {MaxMembers} members.");
        var today = ChinaTime.Today(now);
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is null) errors.Add($"members[{i}]", "is required.");
            else members[i].Validate($"members[{i}].", errors, today);
        }

        if (members.Count(m => m?.Relation == Relation.Head) > 1) errors.Add("members", "has at most one head.");
        var ids = members.Where(m => m?.ResidentId is not null).Select(m => m.ResidentId!.Trim().ToUpperInvariant()).ToList();
        if (ids.Count != ids.Distinct().Count()) errors.Add("members", "names the same resident ID twice.");

        return errors.Any ? errors.ToProblem() : ResidentRegistry.Problem(conflicts, caller, null) ?? errors.ToProblem();
    }

    [WolverinePost("/api/households"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (Created, IStartStream, IMartenOp) Post(
        RegisterHousehold command, TownshipDirectory townships, PersonalDataVault vault, DateTimeOffset now)
    {
        var registration = Decide(command, townships, vault, now);
        return (new Created(registration.Id, $"/api/households/{registration.Id}"),
            MartenOps.StartStream<Household>(registration.Id, registration.Events),
            registration.StoreKeys());
    }

    /// <summary>A new household of a valid command: its id, its first events and its personal-data key.</summary>
    public static HouseholdRegistration Decide(RegisterHousehold command, TownshipDirectory townships, PersonalDataVault vault,
        DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var (key, record) = vault.NewHousehold(id, now);
        var today = ChinaTime.Today(now);

        var events = new List<object>();
        var people = new List<PersonDataKey>();
        var residents = new List<ActiveResident>();
        DataProtector? head = null;
        foreach (var member in command.Members ?? [])
        {
            var memberId = Guid.CreateVersion7(now);
            var (personKey, person) = vault.NewPerson(memberId, id, now);
            people.Add(personKey);
            if (member.Relation == Relation.Head) head = person;
            events.Add(new HouseholdMemberAdded(id, memberId, member.ToRecord(person, vault, today)));
            if (member.ResidentIndex(vault, today) is { } index)
                residents.Add(new ActiveResident { Id = memberId, HouseholdId = id, ResidentIdIndex = index });
        }

        // The head's name is the head's: sealed under the head member's key, or, with no member as
        // head, under a person key of its own that the household holds (its erasure deletes it).
        var headPersonId = head is null ? Guid.CreateVersion7(now) : DataProtector.PersonOf(head.KeyId)!.Value;
        if (head is null)
        {
            var (headKey, own) = vault.NewPerson(headPersonId, id, now);
            people.Add(headKey);
            head = own;
        }

        events.Insert(0, new HouseholdRegistered(id, townships.Find(command.Township)!.Code, command.Village!.Trim(),
            head.Protect(SealedFields.HeadName, command.HeadName!.Trim()), record.Protect(SealedFields.Address, command.Address!.Trim()),
            command.PovertyCause!.Value, now, headPersonId));
        return new HouseholdRegistration(id, [.. events], key, people, residents);
    }
}

/// <summary>
/// A household about to be registered: the stream id, its first events, its data key and each
/// member's, and the resident-index rows of the members who have a resident ID.
/// </summary>
public sealed record HouseholdRegistration(
    Guid Id, object[] Events, HouseholdDataKey Key, IReadOnlyList<PersonDataKey> People, IReadOnlyList<ActiveResident> Residents)
{
    /// <summary>Storing the keys and the resident-index rows, in the transaction that starts the stream.</summary>
    public IMartenOp StoreKeys() => new StoreKeysOp(this);

    private sealed class StoreKeysOp(HouseholdRegistration registration) : IMartenOp
    {
        public void Execute(IDocumentSession session)
        {
            session.Store(registration.Key);
            if (registration.People.Count > 0) session.Store(registration.People.ToArray());
            if (registration.Residents.Count > 0) session.Store(registration.Residents.ToArray());
        }
    }
}
