using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.CareCentres;

/// <summary>
/// What one resident costs in one month under the rule in force on the 1st of that month, and who
/// pays: the pooled funds of 残联 and 民政 first, then the county and the township (the household's)
/// their shares of the shortfall.
/// </summary>
public sealed record ResidentMonthlyCost(
    Guid CentreId,
    Guid StayId,
    Guid HouseholdId,
    Guid MemberId,
    string Township,
    string Month,
    DisabilityType DisabilityType,
    Guid RuleId,
    DateOnly RuleEffectiveFrom,
    decimal MonthlyRate,
    PooledFunds PooledFunds,
    decimal Pooled,
    decimal Shortfall,
    int CountyShare,
    int TownshipShare,
    decimal CountyPays,
    decimal TownshipPays);

/// <summary>What the cost of a month needs: the stay, its household and the rules.</summary>
public sealed record CostInputs(CentreStay? Stay, HouseholdDetails? Household, FundingRules? Rules);

public static class GetResidentCostEndpoint
{
    public static async Task<CostInputs> LoadAsync(Guid stayId, IQuerySession session, CancellationToken token)
    {
        var stay = await session.LoadAsync<CentreStay>(stayId, token);
        var household = stay is null ? null : await session.LoadAsync<HouseholdDetails>(stay.HouseholdId, token);
        var rules = await session.Events.AggregateStreamAsync<FundingRules>(FundingRules.StreamId, token: token);
        return new CostInputs(stay, household, rules);
    }

    /// <summary>
    /// A stay is charged for every month it was active on at least one day, except the month in which
    /// it began by a transfer (the stay the resident came from bears that month). Trial stays are free.
    /// </summary>
    public static ProblemDetails Validate(Guid centreId, Guid stayId, string? month, CostInputs inputs, Caller caller)
    {
        if (TownshipScope.Access(inputs.Household?.Township, caller, "resident's household") is { } forbidden) return forbidden;

        if (ParseMonth(month) is not { } first)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["month"] = ["is required, as yyyy-MM."] });
        }

        var stay = inputs.Stay;
        if (stay is null || stay.CentreId != centreId)
        {
            return Problems.NotFound("No such stay.", $"Centre {centreId} has no stay {stayId}.");
        }

        if (stay.Kind == StayKind.Trial)
            return Problems.Conflict(ProblemTypes.Conflict, "Trial stays are free.", $"Stay {stayId} is a trial stay; it costs nothing.");

        var last = first.AddMonths(1).AddDays(-1);
        if (stay.From > last || stay.To < first)
        {
            return Problems.Conflict(ProblemTypes.Conflict, "The resident was not in this stay that month.",
                $"The stay ran from {stay.From:yyyy-MM-dd} to {(stay.To is { } to ? to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "now")}.");
        }

        if (stay.TransferredFromStayId is { } from && stay.From >= first)
        {
            return Problems.Conflict(ProblemTypes.Conflict, "The month of a transfer is charged to the earlier stay.",
                $"The resident came by transfer on {stay.From:yyyy-MM-dd}; stay {from} bears {first:yyyy-MM}.");
        }

        if (inputs.Rules?.InForceOn(first) is not { } rule)
            return Problems.Conflict(ProblemTypes.Conflict, "No funding rule in force.", $"No funding rule applies on {first:yyyy-MM-dd}.");

        return stay.DisabilityType is { } type && rule.MonthlyRates.ContainsKey(type)
            ? WolverineContinue.NoProblems
            : Problems.Conflict(ProblemTypes.Conflict, "The rule sets no rate for this resident.",
                $"The rule in force from {rule.EffectiveFrom:yyyy-MM-dd} has rates for {string.Join(", ", rule.MonthlyRates.Keys)}; " +
                $"the resident's disability type is {stay.DisabilityType?.ToString() ?? "not recorded"}.");
    }

    [WolverineGet("/api/care-centres/{centreId}/residents/{stayId}/cost"), Tags("Funding rules")]
    [Authorize(Scopes.HouseholdsRead)]
    public static ResidentMonthlyCost Get(Guid centreId, Guid stayId, [Query(Required = true)] string? month, CostInputs inputs)
    {
        var first = ParseMonth(month)!.Value;
        var stay = inputs.Stay!;
        var rule = inputs.Rules!.InForceOn(first)!;
        var type = stay.DisabilityType!.Value;
        var cost = MonthlyCost.Of(rule, rule.MonthlyRates[type]);
        return new ResidentMonthlyCost(centreId, stayId, stay.HouseholdId, stay.MemberId, inputs.Household?.Township ?? "",
            first.ToString("yyyy-MM", CultureInfo.InvariantCulture), type, rule.RuleId, rule.EffectiveFrom, cost.Rate,
            rule.PooledFunds, cost.Pooled, cost.Shortfall, rule.CountyShare, rule.TownshipShare, cost.CountyPays, cost.TownshipPays);
    }

    /// <summary>The first day of a month given as <c>yyyy-MM</c>, or null.</summary>
    public static DateOnly? ParseMonth(string? month) =>
        DateOnly.TryParseExact(month?.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
}
