using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Calendar;
using Wolverine.Marten;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// How a caregiver family's stream begins, for this module's registration and for any other module
/// that "makes" a family (a kinship, neighbour or assigned-helper agreement naming none):
/// <see cref="CaregiverFamilyRegistered"/>, the head as a <see cref="CaregiverFamilyMemberAdded"/>
/// (relation <c>Head</c>), then the other members; and the new data keys of the family and of each
/// member, which must be stored in the same transaction or the members' personal data can never be read.
/// </summary>
/// <example>
/// In another module's endpoint:
/// <code>
/// var family = CaregiverFamilyStart.For("mucheng", "东关村", "李四", vault, now);
/// return (response, family.Stream(), family.StoreKey(), ...);   // family.FamilyId names it
/// </code>
/// </example>
public sealed record CaregiverFamilyStart(
    Guid FamilyId, Guid HeadMemberId, IReadOnlyList<object> Events, HouseholdDataKey Key, IReadOnlyList<PersonDataKey> People)
{
    /// <summary>
    /// A family known only by its head's name (birth date and gender to be completed later through
    /// <c>PUT /api/caregiver-families/{familyId}/members/{memberId}</c>). <paramref name="township"/>
    /// is a township code (<c>mucheng</c>); the caller checks it and the names.
    /// </summary>
    public static CaregiverFamilyStart For(string township, string village, string headName, PersonalDataVault vault,
        DateTimeOffset now) =>
        For(township, village, new FamilyMemberInput(headName, Relation.Head, null, null, null, null), [], vault, now);

    /// <summary>A family with its head and members, all already validated by the caller.</summary>
    public static CaregiverFamilyStart For(string township, string village, FamilyMemberInput head,
        IEnumerable<FamilyMemberInput> members, PersonalDataVault vault, DateTimeOffset now)
    {
        var familyId = Guid.CreateVersion7(now);
        var headId = Guid.CreateVersion7(now);
        var (key, _) = vault.NewHousehold(familyId, now);
        var today = ChinaTime.Today(now);

        var events = new List<object>();
        var people = new List<PersonDataKey>();
        foreach (var (memberId, member) in members.Select(m => (Guid.CreateVersion7(now), m))
                     .Prepend((headId, head with { Relation = Relation.Head })))
        {
            var (personKey, person) = vault.NewPerson(memberId, familyId, now);
            people.Add(personKey);
            // The head's name is the head's: sealed under the head member's own key.
            if (memberId == headId)
                events.Add(new CaregiverFamilyRegistered(familyId, township, village.Trim(), person.Protect(SealedFields.HeadName, head.Name!.Trim()), now));
            events.Add(new CaregiverFamilyMemberAdded(familyId, memberId, member.ToRecord(person, vault, today)));
        }

        return new CaregiverFamilyStart(familyId, headId, events, key, people);
    }

    /// <summary>The stream start, for the endpoint to return.</summary>
    public IStartStream Stream() => MartenOps.StartStream<CaregiverFamily>(FamilyId, [.. Events]);

    /// <summary>Storing the family's and its members' data keys, for the endpoint to return with the stream start.</summary>
    public IMartenOp StoreKey() => new StoreKeys(this);

    private sealed class StoreKeys(CaregiverFamilyStart start) : IMartenOp
    {
        public void Execute(Marten.IDocumentSession session)
        {
            session.Store(start.Key);
            session.Store(start.People.ToArray());
        }
    }
}
