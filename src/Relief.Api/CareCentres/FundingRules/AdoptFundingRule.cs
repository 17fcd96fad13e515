using Relief.Api.Infrastructure.OpenApi;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.CareCentres;

/// <summary>
/// Adopt a funding rule from <c>EffectiveFrom</c> (the first of a month, later than every rule so
/// far: history is never rewritten; a correction is a new rule from a later month).
/// <c>PooledFunds</c> may be left out (nothing pooled).
/// </summary>
public sealed record AdoptFundingRule(
    DateOnly? EffectiveFrom,
    Dictionary<DisabilityType, decimal>? MonthlyRates,
    PooledFunds? PooledFunds,
    int? CountyShare,
    int? TownshipShare) : IHasExample<AdoptFundingRule>
{
    public static AdoptFundingRule Example { get; } = new(new DateOnly(2020, 10, 1), new Dictionary<DisabilityType, decimal> { [DisabilityType.Physical] = 2600m, [DisabilityType.Psychiatric] = 1600m, [DisabilityType.Intellectual] = 2300m }, null, 2, 1);
}

/// <summary>What adopting a rule answers.</summary>
public sealed record FundingRuleSaved(Guid RuleId, DateOnly EffectiveFrom) : IStreamVersioned<FundingRuleSaved>, IHasExample<FundingRuleSaved>
{
    public static FundingRuleSaved Example { get; } = new(ExampleIds.Rule, new DateOnly(2020, 10, 1)) { Version = 2 };

    public int Version { get; init; }

    public FundingRuleSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(FundingRules.StreamId) };
}

public static class AdoptFundingRuleEndpoint
{
    public const decimal MaxMonthlyRate = 100_000m;

    public static Task<IEventStream<FundingRules>> LoadAsync(IDocumentSession session, CancellationToken token) =>
        session.Events.FetchForWriting<FundingRules>(FundingRules.StreamId, token);

    public static ProblemDetails Validate(AdoptFundingRule command, IEventStream<FundingRules> stream) =>
        Check(command, stream.Aggregate);

    /// <summary>The decision proper, on the rules adopted so far (null before the first).</summary>
    public static ProblemDetails Check(AdoptFundingRule command, FundingRules? rules)
    {
        var errors = new FieldErrors();
        if (command.EffectiveFrom is null) errors.Add("effectiveFrom", "is required.");
        else if (command.EffectiveFrom.Value.Day != 1) errors.Add("effectiveFrom", "is the first day of a month (costs are monthly).");
        if (command.MonthlyRates is null || command.MonthlyRates.Count == 0) errors.Add("monthlyRates", "names at least one disability type.");
        else
        {
            foreach (var (type, rate) in command.MonthlyRates)
            {
                if (rate is <= 0 or > MaxMonthlyRate || decimal.Round(rate, 2) != rate)
                    errors.Add($"monthlyRates.{type}", $"is more than 0 and at most {MaxMonthlyRate}, in yuan with at most 2 decimals.");
            }
        }

        if (command.PooledFunds is { } pooled
            && (pooled.DisabledPersonsFederation < 0 || pooled.CivilAffairs < 0
                || decimal.Round(pooled.DisabledPersonsFederation, 2) != pooled.DisabledPersonsFederation
                || decimal.Round(pooled.CivilAffairs, 2) != pooled.CivilAffairs))
            errors.Add("pooledFunds", "are amounts of 0 or more, in yuan with at most 2 decimals.");
        if (command.CountyShare is null) errors.Add("countyShare", "is required.");
        else if (command.CountyShare is < 0 or > 100) errors.Add("countyShare", "is 0 to 100.");
        if (command.TownshipShare is null) errors.Add("townshipShare", "is required.");
        else if (command.TownshipShare is < 0 or > 100) errors.Add("townshipShare", "is 0 to 100.");
        if (command.CountyShare == 0 && command.TownshipShare == 0) errors.Add("countyShare", "and townshipShare are not both 0.");
        if (errors.Any) return errors.ToProblem();

        var latest = rules?.Rules.MaxBy(r => r.EffectiveFrom);
        return latest is not null && command.EffectiveFrom <= latest.EffectiveFrom
            ? Problems.Conflict(ProblemTypes.Conflict, "A rule applies from that date or later already.",
                $"The latest rule applies from {latest.EffectiveFrom:yyyy-MM-dd}; a new rule must apply from a later month.")
            : WolverineContinue.NoProblems;
    }

    [WolverinePost("/api/funding-rules"), Tags("Funding rules")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.FundingRules)]
    public static (FundingRuleSaved, IMartenOp) Post(AdoptFundingRule command, IEventStream<FundingRules> stream, DateTimeOffset now)
    {
        var adopted = Decide(command, now);
        return (new FundingRuleSaved(adopted.RuleId, adopted.EffectiveFrom),
            new AppendToFetched<FundingRules>(stream, adopted));
    }

    /// <summary>The event a valid command records.</summary>
    public static FundingRuleAdopted Decide(AdoptFundingRule command, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), command.EffectiveFrom!.Value, new Dictionary<DisabilityType, decimal>(command.MonthlyRates!),
            command.PooledFunds ?? PooledFunds.Nothing, command.CountyShare!.Value, command.TownshipShare!.Value,
            ChinaTime.Today(now));
}

public static class ListFundingRulesEndpoint
{
    /// <summary>Every funding rule adopted, oldest first.</summary>
    [WolverineGet("/api/funding-rules"), Tags("Funding rules")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<FundingRule>> Get(IQuerySession session, CancellationToken token) =>
        (await session.Events.AggregateStreamAsync<FundingRules>(FundingRules.StreamId, token: token))?.Rules
        .OrderBy(r => r.EffectiveFrom).ToList() ?? [];
}
