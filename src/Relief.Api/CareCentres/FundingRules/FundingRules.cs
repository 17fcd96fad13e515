using Relief.Api.Households;
using Relief.Core.Events;

namespace Relief.Api.CareCentres;

// The funding rules of centralised care: one well-known stream of dated rules.

/// <summary>
/// What 残联 (the disabled persons' federation) and 民政 (civil affairs) pool towards each resident
/// per month, before the county and the township pay the shortfall.
/// </summary>
public sealed record PooledFunds(decimal DisabledPersonsFederation, decimal CivilAffairs)
{
    public static readonly PooledFunds Nothing = new(0m, 0m);

    public decimal Total => DisabledPersonsFederation + CivilAffairs;
}

/// <summary>
/// A funding rule was adopted: from <c>EffectiveFrom</c> (always the first of a month) a resident
/// of a centre costs <c>MonthlyRates[type]</c> yuan a month by disability type; <c>PooledFunds</c>
/// are paid first, and the shortfall is split county : township as <c>CountyShare : TownshipShare</c>.
/// Earlier months keep the rule that was in force then.
/// </summary>
public sealed record FundingRuleAdopted(
    Guid RuleId,
    DateOnly EffectiveFrom,
    Dictionary<DisabilityType, decimal> MonthlyRates,
    PooledFunds PooledFunds,
    int CountyShare,
    int TownshipShare,
    DateOnly AdoptedOn) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AdoptedOn;
}

/// <summary>One dated rule, as adopted.</summary>
public sealed record FundingRule(
    Guid RuleId,
    DateOnly EffectiveFrom,
    Dictionary<DisabilityType, decimal> MonthlyRates,
    PooledFunds PooledFunds,
    int CountyShare,
    int TownshipShare,
    DateOnly AdoptedOn);

/// <summary>The write model of the funding rules: every rule, in date order.</summary>
public sealed class FundingRules
{
    /// <summary>The one stream that holds every funding rule of the county.</summary>
    public static readonly Guid StreamId = new("01925e3a-0000-7000-8000-00000000f0d5");

    public Guid Id { get; set; }
    public int Version { get; set; }
    public List<FundingRule> Rules { get; set; } = [];

    public static FundingRules Create(FundingRuleAdopted e)
    {
        var rules = new FundingRules { Id = StreamId };
        rules.Apply(e);
        return rules;
    }

    public void Apply(FundingRuleAdopted e) =>
        Rules.Add(new FundingRule(e.RuleId, e.EffectiveFrom, e.MonthlyRates, e.PooledFunds, e.CountyShare, e.TownshipShare, e.AdoptedOn));

    /// <summary>The rule in force on a day: the latest whose <c>EffectiveFrom</c> is not after it.</summary>
    public FundingRule? InForceOn(DateOnly day) =>
        Rules.Where(r => r.EffectiveFrom <= day).MaxBy(r => r.EffectiveFrom);
}

/// <summary>One month's cost of a resident, and who pays it.</summary>
public sealed record MonthlyCost(decimal Rate, decimal Pooled, decimal Shortfall, decimal CountyPays, decimal TownshipPays)
{
    /// <summary>
    /// The pooled funds pay first (never more than the rate); the county pays its share of the rest,
    /// rounded to the fen, and the township the remainder, so the parts always add up to the rate.
    /// </summary>
    public static MonthlyCost Of(FundingRule rule, decimal rate)
    {
        var pooled = Math.Min(rule.PooledFunds.Total, rate);
        var shortfall = rate - pooled;
        var county = Math.Round(shortfall * rule.CountyShare / (rule.CountyShare + rule.TownshipShare), 2,
            MidpointRounding.AwayFromZero);
        return new MonthlyCost(rate, pooled, shortfall, county, shortfall - county);
    }
}
