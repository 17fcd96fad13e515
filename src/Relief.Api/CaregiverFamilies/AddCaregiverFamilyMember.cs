using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CaregiverFamilies;

/// <summary>Add a person to a caregiver family. <c>Version</c> is the family's version the caller last read.</summary>
public sealed record AddCaregiverFamilyMember([property: JsonRequired] int Version, FamilyMemberInput? Member) : IHasExample<AddCaregiverFamilyMember>
{
    public static AddCaregiverFamilyMember Example { get; } = new(1, FamilyMemberInput.Example with { Name = "李小花", Relation = Households.Relation.Child, BirthDate = new DateOnly(1992, 7, 8), ResidentId = Core.Identity.ResidentId.Create("410823", new DateOnly(1992, 7, 8), 22), Phone = null });
}

/// <summary>What a change to a family's members answers.</summary>
public sealed record FamilyMemberSaved(Guid FamilyId, Guid MemberId) : IStreamVersioned<FamilyMemberSaved>, IHasExample<FamilyMemberSaved>
{
    public static FamilyMemberSaved Example { get; } = new(ExampleIds.Family, ExampleIds.FamilyMember) { Version = 2 };

    public int Version { get; init; }

    public FamilyMemberSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(FamilyId) };
}

public static class AddCaregiverFamilyMemberEndpoint
{
    /// <summary>The family's members' keys, to find a resident ID repeated within the family.</summary>
    public static Task<KeyChain> LoadAsync(CaregiverFamily family, PersonalDataVault vault, IQuerySession session,
        CancellationToken token) =>
        vault.Keys(session, [], family.Members.Keys, token);

    public static ProblemDetails Validate(AddCaregiverFamilyMember command, CaregiverFamily family, Caller caller,
        KeyChain keys, DateTimeOffset now) =>
        CaregiverFamilyRules.First(
            CaregiverFamilyRules.Access(family, caller),
            CaregiverFamilyRules.ValidateMember(command.Member, family, null, keys, now));

    [WolverinePost("/api/caregiver-families/{familyId}/members"), Tags("Caregiver families")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CaregiverFamilies)]
    public static (FamilyMemberSaved, Events, IMartenOp) Post(
        AddCaregiverFamilyMember command, [WriteModel("familyId")] CaregiverFamily family, PersonalDataVault vault,
        DateTimeOffset now)
    {
        var memberId = Guid.CreateVersion7(now);
        var (key, person) = vault.NewPerson(memberId, family.Id, now);
        var record = command.Member!.ToRecord(person, vault, ChinaTime.Today(now));
        return (new FamilyMemberSaved(family.Id, memberId),
            [new CaregiverFamilyMemberAdded(family.Id, memberId, record)], MartenOps.Store(key));
    }
}
