using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>
/// Move a member to another household (marriage, a child leaving home …): the same person, under
/// the same member id, with the versions of both households the caller last read.
/// </summary>
public sealed record MoveHouseholdMember(
    [property: JsonRequired] int Version,
    [property: Required] Guid? ToHouseholdId,
    [property: Required] int? ToVersion,
    [property: Required] DateOnly? MovedOn) : IHasExample<MoveHouseholdMember>
{
    public static MoveHouseholdMember Example { get; } = new(4, ExampleIds.OtherHousehold, 2, new DateOnly(2020, 10, 1));
}

/// <summary>
/// The household a member moves to, as it stands now, the member's key (null once erased) and
/// resident-index row (null without a resident ID).
/// </summary>
public sealed record MoveContext(Household? Target, PersonDataKey? Key, ActiveResident? Resident);

public static class MoveHouseholdMemberEndpoint
{
    public static async Task<MoveContext> LoadAsync(Guid householdId, Guid memberId, MoveHouseholdMember command,
        IDocumentSession session, CancellationToken token)
    {
        var key = await session.LoadAsync<PersonDataKey>(memberId, token);
        var resident = await session.LoadAsync<ActiveResident>(memberId, token);
        if (command.ToHouseholdId is not { } to || to == householdId
            || await session.Events.FetchStreamStateAsync(to, token) is not { IsArchived: false })
        {
            return new MoveContext(null, key, resident);
        }

        return new MoveContext(await session.Events.AggregateStreamAsync<Household>(to, token: token), key, resident);
    }

    public static ProblemDetails Validate(MoveHouseholdMember command, Household household, Guid memberId,
        MoveContext context, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.ToHouseholdId is null) errors.Add("toHouseholdId", "is required.");
        else if (command.ToHouseholdId == household.Id) errors.Add("toHouseholdId", "is the member's own household.");
        if (command.ToVersion is null) errors.Add("toVersion", "is required: the version of the household you read.");
        if (command.MovedOn is null) errors.Add("movedOn", "is required.");
        else if (command.MovedOn > ChinaTime.Today(now)) errors.Add("movedOn", "must not be in the future.");
        if (errors.Any) return errors.ToProblem();

        if (context.Target is not { } target)
            return HouseholdRules.NotFound(command.ToHouseholdId!.Value);
        if (target.Version != command.ToVersion)
        {
            return Problems.Conflict(ProblemTypes.ConcurrencyConflict, "The household moved to has changed.",
                $"Household {target.Id} is at version {target.Version}, not {command.ToVersion}; read it again.");
        }

        var member = household.Members.GetValueOrDefault(memberId);
        return Problems.FirstOf(
            HouseholdRules.Access(household, caller),
            HouseholdRules.Access(target, caller),
            HouseholdRules.MemberExists(household, memberId),
            member is not null && member.Relation == Relation.Head && target.HeadId is not null
                ? Problems.Conflict(ProblemTypes.Conflict, "The household moved to has a head.",
                    "Change the member's relation before moving, or change the other household's head.")
                : null);
    }

    /// <summary>
    /// Appends the move to both streams in one transaction: out of this household, into the other.
    /// The person keeps their own key (nothing is re-encrypted); the key now names the receiving
    /// household as its holder, so that an erasure of the old household leaves the person alone.
    /// Both streams' versions are checked at commit (the other one must still be at <c>toVersion</c>).
    /// </summary>
    [WolverinePost("/api/households/{householdId}/members/{memberId}/move"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (MemberSaved, Events, IMartenOp, IMartenOp, IMartenOp) Post(MoveHouseholdMember command,
        [WriteModel] Household household, Guid memberId, MoveContext context)
    {
        var target = context.Target!;
        var movedIn = new HouseholdMemberMovedIn(target.Id, memberId, household.Id, command.MovedOn!.Value,
            household.Members[memberId]);
        return (new MemberSaved(household.Id, memberId),
            [new HouseholdMemberMovedOut(household.Id, memberId, target.Id, command.MovedOn.Value)],
            MartenOps.Append(target.Id, target.Version + 1, movedIn),
            context.Key is { } key ? MartenOps.Store(key.HeldBy(target.Id)) : MartenOps.Nothing(),
            ResidentIndexOps.Record(memberId, target.Id, context.Resident?.ResidentIdIndex));
    }
}
