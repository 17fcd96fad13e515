using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CarePlans.PlanDetails;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.CarePlans.Visits;

/// <summary>A follow-up visit to make: the plan, its household, the day it is due, and how many days it is late (0 when not yet).</summary>
public sealed record FollowUpDue(Guid PlanId, Guid HouseholdId, string Township, string TownshipName, DateOnly DueOn,
    DateOnly? LastVisitedOn, int DaysOverdue);

public static class ListFollowUpVisitsEndpoint
{
    public const int DefaultWithinDays = 7;

    private static async Task<IReadOnlyList<FollowUpDue>> DueAsync(string? code, DateOnly from, DateOnly until, DateOnly today,
        TownshipDirectory townships, IQuerySession session, CancellationToken token)
    {
        var closed = (await session.Query<HouseholdDetails>().Where(h => h.Closure != null).Select(h => h.Id).ToListAsync(token)).ToHashSet();
        var plans = await session.Query<CarePlanDetails>()
            .Where(p => p.ActivatedOn != null && p.NextFollowUpOn != null && p.NextFollowUpOn >= from && p.NextFollowUpOn <= until
                        && (code == null || p.Township == code))
            .ToListAsync(token);
        return plans.Where(p => !closed.Contains(p.HouseholdId))
            .OrderBy(p => p.NextFollowUpOn).ThenBy(p => p.Id)
            .Select(p => new FollowUpDue(p.Id, p.HouseholdId, p.Township, townships.NameOf(p.Township), p.NextFollowUpOn!.Value,
                p.FollowUps.LastOrDefault()?.VisitedOn, Math.Max(0, today.DayNumber - p.NextFollowUpOn!.Value.DayNumber)))
            .ToList();
    }

    public static ProblemDetails Validate(string? township, string? within, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        if (within is not null && (!int.TryParse(within, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days > 366))
            errors.Add("within", "is a whole number of days from 0 to 366.");
        return CarePlanLists.ValidateTownship(township, townships, caller, errors);
    }

    /// <summary>
    /// Follow-up visits (随访) due from today to <c>within</c> days ahead (default 7), soonest first, of
    /// plans in force of open households; a township key sees its own.
    /// </summary>
    [WolverineGet("/api/follow-up-visits/due"), Tags("Care plans")]
    [Authorize(Scopes.HouseholdsRead)]
    public static Task<IReadOnlyList<FollowUpDue>> Get(string? township, string? within, TownshipDirectory townships, Caller caller,
        IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var today = ChinaTime.Today(now);
        var days = within is null ? DefaultWithinDays : int.Parse(within, CultureInfo.InvariantCulture);
        return DueAsync(TownshipScope.Of(township, caller, townships), today, today.AddDays(days), today, townships, session, token);
    }
}

public static class ListOverdueFollowUpVisitsEndpoint
{
    public static ProblemDetails Validate(string? township, TownshipDirectory townships, Caller caller) =>
        CarePlanLists.ValidateTownship(township, townships, caller, new FieldErrors());

    /// <summary>Follow-up visits (随访) whose day has passed without one, most overdue first; a township key sees its own.</summary>
    [WolverineGet("/api/follow-up-visits/overdue"), Tags("Care plans")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<FollowUpDue>> Get(string? township, TownshipDirectory townships, Caller caller,
        IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var today = ChinaTime.Today(now);
        var code = TownshipScope.Of(township, caller, townships);
        var closed = (await session.Query<HouseholdDetails>().Where(h => h.Closure != null).Select(h => h.Id).ToListAsync(token)).ToHashSet();
        var yesterday = today.AddDays(-1);
        var plans = await session.Query<CarePlanDetails>()
            .Where(p => p.ActivatedOn != null && p.NextFollowUpOn != null && p.NextFollowUpOn <= yesterday && (code == null || p.Township == code))
            .ToListAsync(token);
        return plans.Where(p => !closed.Contains(p.HouseholdId))
            .OrderBy(p => p.NextFollowUpOn).ThenBy(p => p.Id)
            .Select(p => new FollowUpDue(p.Id, p.HouseholdId, p.Township, townships.NameOf(p.Township), p.NextFollowUpOn!.Value,
                p.FollowUps.LastOrDefault()?.VisitedOn, today.DayNumber - p.NextFollowUpOn!.Value.DayNumber))
            .ToList();
    }
}
