using System.Diagnostics.CodeAnalysis;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Events;
using Relief.Core.Protection;

namespace Relief.Api.CareCentres;

// The admission rules of the care centres: one well-known stream of dated rules, as the funding rules.
// The seed article's rule applies before the first rule adopted: centralised care (集中医养) for the
// severely disabled (grade 1–2), free trial stays (免费试住) for the partly or fully dependent.

/// <summary>
/// Who qualifies: a member with a disability of one of <c>DisabilityGrades</c>, or with one of
/// <c>DependencyLevels</c> (either is enough).
/// </summary>
public sealed record AdmissionCriteria(IReadOnlyList<int> DisabilityGrades, IReadOnlyList<DependencyLevel> DependencyLevels)
{
    public bool Admits(MemberPersonalData member) =>
        (member.DisabilityGrade is { } grade && DisabilityGrades.Contains(grade))
        || (member.DependencyLevel is { } level && DependencyLevels.Contains(level));

    /// <summary>The criteria in words, for a refusal's detail.</summary>
    public string Describe() =>
        string.Join(" or ", new[]
        {
            DisabilityGrades.Count == 0 ? null : $"disability grade {string.Join("/", DisabilityGrades)}",
            DependencyLevels.Count == 0 ? null : $"dependency {string.Join("/", DependencyLevels)}",
        }.OfType<string>());
}

/// <summary>
/// An admission rule was adopted: from <c>EffectiveFrom</c>, a person is admitted to a centre when
/// <c>Admission</c> admits them, and may start a trial stay when <c>TrialStay</c> does. Earlier days
/// keep the rule that was in force then.
/// </summary>
public sealed record AdmissionRuleAdopted(
    Guid RuleId,
    DateOnly EffectiveFrom,
    AdmissionCriteria Admission,
    AdmissionCriteria TrialStay,
    DateOnly AdoptedOn,
    Department AdoptedBy) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AdoptedOn;
}

/// <summary>
/// A person was admitted, started a trial stay or had a trial converted (<c>Kind</c>: the stay it
/// gave) although the admission rule in force on <c>GrantedOn</c> refused them, by exception:
/// <c>GrantedBy</c> owns <c>admission-exceptions</c>, and <c>Reason</c> says why (free text about the
/// person's health, sealed under the household's key; events written before hold it as a plain string).
/// Recorded on the centre's stream in the same transaction, right after the stay it covers.
/// </summary>
public sealed record AdmissionExceptionGranted(
    Guid CentreId,
    Guid StayId,
    Guid HouseholdId,
    Guid MemberId,
    StayKind Kind,
    DateOnly GrantedOn,
    Department GrantedBy,
    ProtectedValue Reason) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => GrantedOn;
}

/// <summary>An exception as a request asks for it: the reason the rule is set aside.</summary>
public sealed record AdmissionExceptionInput(string? Reason);

/// <summary>An exception as the stay's view stores it: its reason sealed under the household's key, as in the event.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "An exception granted to the admission rule, the domain's word; not a System.Exception.")]
public sealed record AdmissionException(DateOnly GrantedOn, Department GrantedBy, ProtectedValue Reason);

/// <summary>An exception to the admission rule as the API shows it.</summary>
/// <param name="GrantedOn">The business date the exception was granted on.</param>
/// <param name="GrantedBy">The department that granted it (it owns <c>admission-exceptions</c>).</param>
/// <param name="Reason">Why the rule was set aside, opened with the household's key: <c>[erased]</c> once the household was erased.</param>
public sealed record AdmissionExceptionResponse(DateOnly GrantedOn, Department GrantedBy, string Reason)
{
    /// <summary>The exception with its reason opened; <paramref name="keys"/> must hold the household's key.</summary>
    public static AdmissionExceptionResponse? Of(AdmissionException? e, KeyChain keys) =>
        e is null ? null : new(e.GrantedOn, e.GrantedBy, keys.Show(SealedFields.Reason, e.Reason));
}

/// <summary>One dated rule; <c>RuleId</c> and <c>AdoptedOn</c> are null for the seed's rule, which nobody adopted.</summary>
public sealed record AdmissionRule(
    Guid? RuleId,
    DateOnly EffectiveFrom,
    AdmissionCriteria Admission,
    AdmissionCriteria TrialStay,
    DateOnly? AdoptedOn)
{
    /// <summary>The seed's rule: admission for grade 1–2; a trial stay for partial or full dependency (or grade 1–2).</summary>
    public static readonly AdmissionRule Seed = new(null, DateOnly.MinValue,
        new AdmissionCriteria([1, 2], []),
        new AdmissionCriteria([1, 2], [DependencyLevel.Partial, DependencyLevel.Full]),
        null);

    public AdmissionCriteria For(StayKind kind) => kind == StayKind.Trial ? TrialStay : Admission;
}

/// <summary>The write model of the admission rules: every rule adopted, in date order.</summary>
public sealed class AdmissionRules
{
    /// <summary>The one stream that holds every admission rule of the county.</summary>
    public static readonly Guid StreamId = new("01925e3a-0000-7000-8000-00000000ad01");

    public Guid Id { get; set; }
    public int Version { get; set; }
    public List<AdmissionRule> Rules { get; set; } = [];

    public static AdmissionRules Create(AdmissionRuleAdopted e)
    {
        var rules = new AdmissionRules { Id = StreamId };
        rules.Apply(e);
        return rules;
    }

    public void Apply(AdmissionRuleAdopted e) =>
        Rules.Add(new AdmissionRule(e.RuleId, e.EffectiveFrom, e.Admission, e.TrialStay, e.AdoptedOn));

    /// <summary>The rule in force on a day: the latest adopted whose <c>EffectiveFrom</c> is not after it, else the seed's.</summary>
    public static AdmissionRule InForceOn(AdmissionRules? rules, DateOnly day) =>
        rules?.Rules.Where(r => r.EffectiveFrom <= day).MaxBy(r => r.EffectiveFrom) ?? AdmissionRule.Seed;
}
