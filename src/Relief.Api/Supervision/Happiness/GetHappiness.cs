using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Supervision;

/// <summary>A household's happiness: the index of its latest survey (null before the first) and every survey, the latest first.</summary>
public sealed record HouseholdHappiness(Guid HouseholdId, int? Index, DateOnly? SurveyedOn, IReadOnlyList<HappinessSurveyResponse> Surveys);

/// <summary>An index over households: the mean of their latest indexes (null when none was surveyed) and how many households it rests on.</summary>
public sealed record HappinessFigure(decimal? Index, int Households);

/// <summary>A township's index.</summary>
public sealed record TownshipHappiness(string Township, string Name, decimal? Index, int Households);

/// <summary>One point of the trend: the mean index of the surveys taken in the week or month, and how many they were.</summary>
public sealed record HappinessPoint(string Period, DateOnly From, DateOnly To, decimal Index, int Surveys);

/// <summary>
/// The happiness index (幸福指数) of the county (or of one township) from each household's latest survey, each
/// township's, and the trend by <c>week</c> or <c>month</c> (the surveys taken in each).
/// </summary>
public sealed record HappinessIndex(DateTimeOffset AsOf, string? Township, HappinessFigure Overall, IReadOnlyList<TownshipHappiness> Townships,
    string By, IReadOnlyList<HappinessPoint> Trend)
{
    /// <summary>The latest survey of each household (by date, then as recorded).</summary>
    public static IReadOnlyList<HappinessSurveyDetails> Latest(IEnumerable<HappinessSurveyDetails> surveys) =>
        surveys.GroupBy(s => s.HouseholdId).Select(g => g.OrderByDescending(s => s.SurveyedOn).ThenByDescending(s => s.Id).First()).ToList();

    public static HappinessIndex Of(IReadOnlyList<HappinessSurveyDetails> surveys, TownshipDirectory townships, string? township, string by,
        DateTimeOffset asOf)
    {
        var latest = Latest(surveys);
        var codes = township is not null ? [township] : townships.All.Select(t => t.Code).ToList();
        var byTownship = codes.Select(code =>
        {
            var of = latest.Where(s => s.Township == code).Select(s => s.Index).ToList();
            return new TownshipHappiness(code, townships.NameOf(code), HappinessScale.Mean(of), of.Count);
        }).ToList();
        var trend = surveys.GroupBy(s => Bucket(s.SurveyedOn, by)).OrderBy(g => g.Key.From)
            .Select(g => new HappinessPoint(g.Key.Label, g.Key.From, g.Key.To, HappinessScale.Mean(g.Select(s => s.Index))!.Value, g.Count()))
            .ToList();
        return new HappinessIndex(asOf, township, new HappinessFigure(HappinessScale.Mean(latest.Select(s => s.Index)), latest.Count),
            byTownship, by, trend);
    }

    /// <summary>The ISO week (<c>2020-W40</c>) or the month (<c>2020-10</c>) of a day.</summary>
    public static (string Label, DateOnly From, DateOnly To) Bucket(DateOnly day, string by)
    {
        if (by == "week")
        {
            var week = IsoWeek.Of(day);
            return (week.ToString(), week.Monday, week.Sunday);
        }

        var month = new DateOnly(day.Year, day.Month, 1);
        return (month.ToString("yyyy-MM", CultureInfo.InvariantCulture), month, month.AddMonths(1).AddDays(-1));
    }
}

public static class GetHouseholdHappinessEndpoint
{
    public static Task<HouseholdDetails?> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<HouseholdDetails>(householdId, token);

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller) =>
        HouseholdRules.Readable(household, householdId, caller) ?? WolverineContinue.NoProblems;

    /// <summary>The household's happiness index (its latest survey) and its surveys, the latest first (a voided survey is left out).</summary>
    [WolverineGet("/api/households/{householdId}/happiness"), Tags("Happiness index")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<HouseholdHappiness> Get(Guid householdId, HouseholdDetails household, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var surveys = await session.Query<HappinessSurveyDetails>().Where(s => s.HouseholdId == householdId && !s.Voided)
            .OrderByDescending(s => s.SurveyedOn).ThenByDescending(s => s.Id).ToListAsync(token);
        var keys = await vault.Keys(session, surveys.Select(s => s.Note), token);
        var latest = surveys.Count > 0 ? surveys[0] : null;
        return new HouseholdHappiness(householdId, latest?.Index, latest?.SurveyedOn, surveys.Select(s => HappinessSurveyResponse.Of(s, keys)).ToList());
    }
}

public static class GetHappinessIndexEndpoint
{
    public static ProblemDetails Validate(string? township, string? by, TownshipDirectory townships, Caller caller)
    {
        if (!caller.Has(Scopes.ReportsRead) && !caller.Has(Scopes.HouseholdsRead))
            return Problems.Forbidden($"The happiness index needs the scope {Scopes.ReportsRead} or {Scopes.HouseholdsRead}.");
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (by is not null && by is not ("week" or "month")) errors.Add("by", "is week or month.");
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>
    /// The happiness index (幸福指数) now: the county's (or, with <c>township</c>, one township's; a township key: its own),
    /// each township's, and the trend by <c>by</c> (<c>month</c>, the default, or <c>week</c>).
    /// </summary>
    [WolverineGet("/api/happiness"), Tags("Happiness index")]
    [Authorize]
    public static async Task<HappinessIndex> Get(string? township, string? by, TownshipDirectory townships, Caller caller, IQuerySession session,
        DateTimeOffset now, CancellationToken token)
    {
        var code = TownshipScope.Of(township, caller, townships);
        var query = session.Query<HappinessSurveyDetails>().Where(s => !s.Voided);
        if (code is not null) query = query.Where(s => s.Township == code);
        return HappinessIndex.Of(await query.ToListAsync(token), townships, code, by ?? "month", now);
    }
}
