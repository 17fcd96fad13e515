using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.CarePlans.PlanDetails;

/// <summary>A plan in a list.</summary>
public sealed record CarePlanListItem(
    Guid Id, Guid HouseholdId, string Township, string TownshipName, PlanStatus Status, DateOnly? ActivatedOn, DateOnly? NextReviewOn,
    DateOnly? NextFollowUpOn);

/// <summary>A household of the safety net without a plan in force: none yet, or a draft.</summary>
public sealed record HouseholdWithoutPlan(Guid HouseholdId, string Township, string TownshipName, string Village, string HeadName,
    Guid? PlanId, PlanStatus? PlanStatus);

/// <summary>The plans of a township (or of the county, <c>township</c> null).</summary>
public sealed record CarePlanCoverage(string? Township, string? TownshipName, int Households, int WithPlanInForce, int Drafts,
    int WithoutPlanInForce, int DueForReview, int Overdue);

/// <summary>The lists of plans: by status, households without one, and the coverage of each township.</summary>
public static class CarePlanLists
{
    public static ProblemDetails ValidateTownship(string? township, TownshipDirectory townships, Caller caller, FieldErrors errors)
    {
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (errors.Any) return errors.ToProblem();
        return TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>The open households (not closed) of the township asked, or of the caller's.</summary>
    public static async Task<IReadOnlyList<HouseholdDetails>> OpenHouseholdsAsync(string? code, IQuerySession session, CancellationToken token) =>
        await session.Query<HouseholdDetails>().Where(h => h.Closure == null && (code == null || h.Township == code)).ToListAsync(token);

    public static async Task<IReadOnlyList<CarePlanDetails>> PlansAsync(string? code, IQuerySession session, CancellationToken token) =>
        await session.Query<CarePlanDetails>().Where(p => code == null || p.Township == code).ToListAsync(token);
}

public static class ListCarePlansEndpoint
{
    public static ProblemDetails Validate(string? township, string? status, string? cursor, string? limit, TownshipDirectory townships,
        Caller caller)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateEnum<PlanStatus>("status", status, errors);
        QueryValues.ValidatePaging(cursor, limit, errors);
        return CarePlanLists.ValidateTownship(township, townships, caller, errors);
    }

    /// <summary>
    /// Care plans of open households, by status (<c>Draft</c>, <c>Active</c>, <c>DueForReview</c>,
    /// <c>Overdue</c>) and township; a township key sees its own. Cursor pagination.
    /// </summary>
    [WolverineGet("/api/care-plans"), Tags("Care plans")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<CarePlanListItem>> Get(string? township, string? status, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, CancellationToken token)
    {
        var code = TownshipScope.Of(township, caller, townships);
        var wanted = QueryValues.Enum<PlanStatus>(status);
        var after = QueryValues.Cursor(cursor);
        var size = QueryValues.Limit(limit);
        var closed = (await session.Query<HouseholdDetails>().Where(h => h.Closure != null).Select(h => h.Id).ToListAsync(token)).ToHashSet();
        var plans = (await session.Query<CarePlanDetails>()
                .Where(p => (code == null || p.Township == code) && (wanted == null || p.Status == wanted) && (after == null || p.Id > after))
                .OrderBy(p => p.Id).ToListAsync(token))
            .Where(p => !closed.Contains(p.HouseholdId)).Take(size + 1).ToList();
        var items = plans.Take(size).Select(p => new CarePlanListItem(p.Id, p.HouseholdId, p.Township, townships.NameOf(p.Township), p.Status,
            p.ActivatedOn, p.NextReviewOn, p.NextFollowUpOn)).ToList();
        return new Page<CarePlanListItem>(items, plans.Count > size ? items[^1].Id.ToString() : null);
    }
}

public static class ListHouseholdsWithoutPlanEndpoint
{
    public static ProblemDetails Validate(string? township, string? cursor, string? limit, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        QueryValues.ValidatePaging(cursor, limit, errors);
        return CarePlanLists.ValidateTownship(township, townships, caller, errors);
    }

    /// <summary>
    /// The open households without a plan in force (no plan, or a draft), of the county or of a township;
    /// a township key sees its own. Cursor pagination.
    /// </summary>
    [WolverineGet("/api/care-plans/households-without"), Tags("Care plans")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<HouseholdWithoutPlan>> Get(string? township, string? cursor, string? limit, TownshipDirectory townships,
        Caller caller, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var code = TownshipScope.Of(township, caller, townships);
        var after = QueryValues.Cursor(cursor);
        var size = QueryValues.Limit(limit);
        var plans = (await CarePlanLists.PlansAsync(code, session, token)).ToDictionary(p => p.HouseholdId);
        var rows = (await CarePlanLists.OpenHouseholdsAsync(code, session, token))
            .Where(h => (after is null || h.Id.CompareTo(after.Value) > 0) && plans.GetValueOrDefault(h.Id) is not { ActivatedOn: not null })
            .OrderBy(h => h.Id).Take(size + 1).ToList();
        var page = rows.Take(size).ToList();
        var keys = await vault.Keys(session, page.Select(h => h.HeadName), token);
        var items = page.Select(h => new HouseholdWithoutPlan(h.Id, h.Township, townships.NameOf(h.Township), h.Village,
            keys.Show(SealedFields.HeadName, h.HeadName), plans.GetValueOrDefault(h.Id)?.Id, plans.GetValueOrDefault(h.Id)?.Status)).ToList();
        return new Page<HouseholdWithoutPlan>(items, rows.Count > size ? items[^1].HouseholdId.ToString() : null);
    }
}

public static class GetCarePlanCoverageEndpoint
{
    public static ProblemDetails Validate(string? township, TownshipDirectory townships, Caller caller) =>
        CarePlanLists.ValidateTownship(township, townships, caller, new FieldErrors());

    /// <summary>
    /// How many open households have a plan in force, a draft or none, and how many plans are due for
    /// review or overdue: for the county (first, <c>township</c> null) and each township. A township
    /// key sees its own township only.
    /// </summary>
    [WolverineGet("/api/care-plans/coverage"), Tags("Care plans")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<CarePlanCoverage>> Get(string? township, TownshipDirectory townships, Caller caller,
        IQuerySession session, CancellationToken token)
    {
        var code = TownshipScope.Of(township, caller, townships);
        var plans = (await CarePlanLists.PlansAsync(code, session, token)).ToDictionary(p => p.HouseholdId);
        var households = await CarePlanLists.OpenHouseholdsAsync(code, session, token);

        CarePlanCoverage Count(string? scope, IEnumerable<HouseholdDetails> of)
        {
            var held = of.Select(h => plans.GetValueOrDefault(h.Id)).ToList();
            var inForce = held.Count(p => p?.ActivatedOn is not null);
            return new CarePlanCoverage(scope, scope is null ? null : townships.NameOf(scope), held.Count, inForce,
                held.Count(p => p is { ActivatedOn: null }), held.Count - inForce, held.Count(p => p?.Status == PlanStatus.DueForReview),
                held.Count(p => p?.Status == PlanStatus.Overdue));
        }

        var byTownship = townships.All.Where(t => code is null || t.Code == code)
            .Select(t => Count(t.Code, households.Where(h => h.Township == t.Code)));
        return code is null ? [Count(null, households), .. byTownship] : [.. byTownship];
    }
}
