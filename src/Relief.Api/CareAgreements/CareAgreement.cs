using Relief.Api.Households;

namespace Relief.Api.CareAgreements;

// The care agreement stream (五养协议): its events and its write model.

/// <summary>The five kinds of care (五养).</summary>
public enum CareMode
{
    /// <summary>集中医养: the person lives in a care centre.</summary>
    CentralisedCare,
    /// <summary>亲情托养: a relative signs.</summary>
    KinshipCare,
    /// <summary>邻里托养: a neighbour or friend signs.</summary>
    NeighbourCare,
    /// <summary>慈善托养: a charity or volunteer signs.</summary>
    CharityCare,
    /// <summary>包帮托养: an assigned helper (cadre, party member, village committee) signs.</summary>
    AssignedHelperCare,
}

/// <summary>Who signs to give the care.</summary>
public enum CaregiverKind { Person, CaregiverFamily, Organisation }

/// <summary>
/// The caregiver of an agreement: a person, a caregiver family (托养人家庭) or an organisation
/// such as a village committee or a charity. Kinship, neighbour and assigned-helper agreements
/// always name the caregiver family they make or link to.
/// </summary>
public sealed record Caregiver(CaregiverKind Kind, string Name, Guid? CaregiverFamilyId);

/// <summary>A clause on the household's assets, e.g. the house and homestead pass to the village collective.</summary>
public sealed record AssetClause(string Asset, string Provision);

/// <summary>The terms of an agreement, as they stand from a date.</summary>
public sealed record CareTerms(
    DateOnly StartsOn,
    DateOnly? EndsOn,
    IReadOnlyList<string> Duties,
    decimal? MonthlySubsidy,
    IReadOnlyList<AssetClause> AssetClauses);

/// <summary>
/// A care agreement was signed. <c>CentreStayId</c> names the admission a centralised-care
/// agreement rests on.
/// </summary>
public sealed record CareAgreementSigned(
    Guid AgreementId,
    Guid HouseholdId,
    string Township,
    CareMode Mode,
    Caregiver Caregiver,
    CareTerms Terms,
    Guid? CentreStayId,
    DateOnly SignedOn);

/// <summary>The agreement was renewed: it now runs to <c>EndsOn</c> (null: open-ended).</summary>
public sealed record CareAgreementRenewed(Guid AgreementId, Guid HouseholdId, DateOnly? EndsOn, DateOnly RenewedOn);

/// <summary>New terms apply from <c>EffectiveFrom</c>; the earlier terms stay in history.</summary>
public sealed record CareAgreementAmended(Guid AgreementId, Guid HouseholdId, CareTerms Terms, DateOnly EffectiveFrom);

/// <summary>The agreement ended on <c>EndedOn</c> (the last day of care), for a reason.</summary>
public sealed record CareAgreementEnded(Guid AgreementId, Guid HouseholdId, DateOnly EndedOn, string Reason);
