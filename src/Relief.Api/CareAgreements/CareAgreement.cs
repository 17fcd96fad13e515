using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Calendar;
using Relief.Core.Events;
using Relief.Core.Protection;

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
/// always name the caregiver family they make or link to. <c>Name</c> is sealed under the
/// caregiver's own person key (<c>p-{id}</c>): the head member's when signing made the caregiver's
/// family, else a key of its own held by the agreement; null when no name was given. Agreements
/// signed before it was sealed hold it as a plain string (a legacy plaintext value).
/// </summary>
public sealed record Caregiver(CaregiverKind Kind, ProtectedValue? Name, Guid? CaregiverFamilyId)
{
    /// <summary>The person whose key seals the name, or null (no name, or a legacy plaintext one).</summary>
    public Guid? PersonId => Name is null ? null : DataProtector.PersonOf(Name.KeyId);

    /// <summary>
    /// True when the name is sealed under the key of a member of the caregiver's family (signing
    /// made the family from this person): that member is erased at the family's route.
    /// </summary>
    public bool IsFamilyMember => Kind == CaregiverKind.Person && CaregiverFamilyId is not null;
}

/// <summary>The caregiver as the API shows it: the name opened, <c>[erased]</c> once erased.</summary>
public sealed record CaregiverResponse(CaregiverKind Kind, string Name, Guid? CaregiverFamilyId)
{
    public static CaregiverResponse Of(Caregiver caregiver, KeyChain keys) =>
        new(caregiver.Kind, caregiver.Name is null ? "" : keys.Show(SealedFields.Name, caregiver.Name), caregiver.CaregiverFamilyId);
}

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
    DateOnly SignedOn) : IHouseholdEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => SignedOn;
}

/// <summary>The agreement was renewed: it now runs to <c>EndsOn</c> (null: open-ended).</summary>
public sealed record CareAgreementRenewed(Guid AgreementId, Guid HouseholdId, DateOnly? EndsOn, DateOnly RenewedOn) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => RenewedOn;
}

/// <summary>New terms apply from <c>EffectiveFrom</c>; the earlier terms stay in history.</summary>
public sealed record CareAgreementAmended(Guid AgreementId, Guid HouseholdId, CareTerms Terms, DateOnly EffectiveFrom) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => EffectiveFrom;
}

/// <summary>The agreement ended on <c>EndedOn</c> (the last day of care), for a reason sealed under the household's key.</summary>
public sealed record CareAgreementEnded(Guid AgreementId, Guid HouseholdId, DateOnly EndedOn, ProtectedValue Reason) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => EndedOn;
}

/// <summary>
/// The key of the agreement's caregiver was forgotten (PIPL art. 47): their name, on the agreement
/// and on every warning that copied it, can never be read again.
/// </summary>
public sealed record CareAgreementCaregiverPersonalDataErased(Guid AgreementId, Guid HouseholdId, string Reason, DateTimeOffset ErasedAt)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChinaTime.Today(ErasedAt);
}

/// <summary>
/// The write model of an agreement: what renewals, amendments and endings are decided on.
/// An agreement is active on a day from its start to the earlier of its term's end and the day it
/// was ended.
/// </summary>
public sealed class CareAgreement
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid HouseholdId { get; set; }
    public string Township { get; set; } = "";
    public CareMode Mode { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public DateOnly LastTermsFrom { get; set; }

    /// <summary>The caregiver as signed (its name sealed).</summary>
    public Caregiver? Caregiver { get; set; }

    /// <summary>True once the caregiver's key was forgotten at this agreement's erasure route.</summary>
    public bool CaregiverErased { get; set; }

    public static CareAgreement Create(CareAgreementSigned e) => new()
    {
        Id = e.AgreementId, HouseholdId = e.HouseholdId, Township = e.Township, Mode = e.Mode,
        StartsOn = e.Terms.StartsOn, EndsOn = e.Terms.EndsOn, LastTermsFrom = e.Terms.StartsOn, Caregiver = e.Caregiver,
    };

    public void Apply(CareAgreementCaregiverPersonalDataErased e) => CaregiverErased = true;

    public void Apply(CareAgreementRenewed e) => EndsOn = e.EndsOn;

    public void Apply(CareAgreementAmended e)
    {
        EndsOn = e.Terms.EndsOn;
        LastTermsFrom = e.EffectiveFrom;
    }

    public void Apply(CareAgreementEnded e) => EndedOn = e.EndedOn;

    /// <summary>The last day of care, if it is known.</summary>
    public DateOnly? LastDay => CarePeriod.LastDayOf(EndsOn, EndedOn);

    public bool IsActiveOn(DateOnly day) => new CarePeriod(StartsOn, LastDay).Covers(day);
}

/// <summary>The days an agreement gives care: from its start to its last day (open-ended when null).</summary>
public sealed record CarePeriod(DateOnly From, DateOnly? To)
{
    public bool Covers(DateOnly day) => From <= day && (To is null || day <= To);

    /// <summary>The earlier of a term's end and the day the agreement was ended.</summary>
    public static DateOnly? LastDayOf(DateOnly? endsOn, DateOnly? endedOn) =>
        (endsOn, endedOn) switch
        {
            (null, null) => null,
            ({ } a, null) => a,
            (null, { } b) => b,
            ({ } a, { } b) => a < b ? a : b,
        };
}
