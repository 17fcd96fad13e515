using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Calendar;
using Wolverine.Marten;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// How a caregiver family's stream begins, for this module's registration and for any other module
/// that "makes" a family (a kinship, neighbour or assigned-helper agreement naming none):
/// <see cref="CaregiverFamilyRegistered"/>, the head as a <see cref="CaregiverFamilyMemberAdded"/>
/// (relation <c>Head</c>), then the other members; and the family's new data key, which must be
/// stored in the same transaction or no resident ID or phone can ever be recorded for the family.
/// </summary>
/// <example>
/// In another module's endpoint:
/// <code>
/// var family = CaregiverFamilyStart.For("mucheng", "东关村", "李四", vault, now);
/// return (response, family.Stream(), family.StoreKey(), ...);   // family.FamilyId names it
/// </code>
/// </example>
public sealed record CaregiverFamilyStart(Guid FamilyId, Guid HeadMemberId, IReadOnlyList<object> Events, HouseholdDataKey Key)
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
        var (key, protector) = vault.NewHousehold(familyId, now);
        var today = ChinaTime.Today(now);

        var events = new List<object>
        {
            new CaregiverFamilyRegistered(familyId, township, village.Trim(), head.Name!.Trim(), now),
            new CaregiverFamilyMemberAdded(familyId, headId,
                (head with { Relation = Relation.Head }).ToRecord(protector, vault, today)),
        };
        events.AddRange(members.Select(m =>
            new CaregiverFamilyMemberAdded(familyId, Guid.CreateVersion7(now), m.ToRecord(protector, vault, today))));
        return new CaregiverFamilyStart(familyId, headId, events, key);
    }

    /// <summary>The stream start, for the endpoint to return.</summary>
    public IStartStream Stream() => MartenOps.StartStream<CaregiverFamily>(FamilyId, [.. Events]);

    /// <summary>Storing the family's data key, for the endpoint to return with the stream start.</summary>
    public IMartenOp StoreKey() => MartenOps.Store(Key);
}
