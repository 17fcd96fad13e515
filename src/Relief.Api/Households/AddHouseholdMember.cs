using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>Add a person to a household. <c>Version</c> is the household's version the caller last read.</summary>
public sealed record AddHouseholdMember([property: JsonRequired] int Version, MemberInput? Member) : IHasExample<AddHouseholdMember>
{
    public static AddHouseholdMember Example { get; } = new(3, MemberInput.Example with { Name = "张小梅", ResidentId = Core.Identity.ResidentId.Create("410823", new DateOnly(1978, 6, 2), 102), Relation = Relation.Child, BirthDate = new DateOnly(1978, 6, 2), Gender = Gender.Female, Phone = null, DisabilityType = null, DisabilityGrade = null, DependencyLevel = DependencyLevel.None });
}

/// <summary>What a change to a household's members answers.</summary>
public sealed record MemberSaved(Guid HouseholdId, Guid MemberId) : IStreamVersioned<MemberSaved>, IHasExample<MemberSaved>
{
    public static MemberSaved Example { get; } = new(ExampleIds.Household, ExampleIds.Member) { Version = 4 };

    public int Version { get; init; }

    public MemberSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(HouseholdId) };
}

public static class AddHouseholdMemberEndpoint
{
    public static Task<IReadOnlyList<ResidentConflict>> LoadAsync(AddHouseholdMember command, PersonalDataVault vault,
        IQuerySession session, Caller caller, HttpContext context, DateTimeOffset now, CancellationToken token) =>
        ResidentRegistry.Conflicts([("member.residentId", command.Member?.ResidentId)], [], vault, session,
            caller, context, now, token);

    public static ProblemDetails Validate(AddHouseholdMember command, Household household,
        IReadOnlyList<ResidentConflict> conflicts, Caller caller, PersonalDataVault vault, DateTimeOffset now) =>
        Problems.FirstOf(
            HouseholdRules.Access(household, caller),
            HouseholdRules.ValidateMember(command.Member, household, null, vault, now),
            ResidentRegistry.Problem(conflicts, caller, household.Id));

    [WolverinePost("/api/households/{householdId}/members"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (MemberSaved, Events, IMartenOp, IMartenOp) Post(
        AddHouseholdMember command, [WriteModel] Household household, PersonalDataVault vault, DateTimeOffset now)
    {
        var memberId = Guid.CreateVersion7(now);
        var today = ChinaTime.Today(now);
        var (key, person) = vault.NewPerson(memberId, household.Id, now);
        var record = command.Member!.ToRecord(person, vault, today);
        return (new MemberSaved(household.Id, memberId),
            [new HouseholdMemberAdded(household.Id, memberId, record)], MartenOps.Store(key),
            ResidentIndexOps.Record(memberId, household.Id, command.Member.ResidentIndex(vault, today)));
    }
}
