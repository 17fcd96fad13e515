using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Supervision;

/// <summary>An open follow-up past its due date, with the inspection it belongs to and the days overdue.</summary>
public sealed record OverdueFollowUp(
    Guid InspectionId,
    string Township,
    Inspector Inspector,
    DateOnly InspectedOn,
    Guid? HouseholdId,
    Guid? CaregiverFamilyId,
    int Number,
    string Action,
    Department Owner,
    DateOnly DueOn,
    int DaysOverdue);

public static class GetInspectionEndpoint
{
    public static async Task<(InspectionDetails?, KeyChain)> LoadAsync(Guid inspectionId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var inspection = await session.LoadAsync<InspectionDetails>(inspectionId, token);
        return (inspection, inspection is null ? KeyChain.Empty : await vault.Keys(session, InspectionResponse.Sealed([inspection]), token));
    }

    public static ProblemDetails Validate(InspectionDetails? inspection, Guid inspectionId, Caller caller) =>
        inspection is null ? InspectionRules.NotFound(inspectionId)
        : TownshipScope.Access(inspection.Township, caller) ?? WolverineContinue.NoProblems;

    [WolverineGet("/api/inspections/{inspectionId}"), Tags("Inspections")]
    [Authorize(Scopes.HouseholdsRead)]
    public static InspectionResponse Get(Guid inspectionId, InspectionDetails inspection, KeyChain keys) => InspectionResponse.Of(inspection, keys);
}

public static class ListInspectionsEndpoint
{
    public static ProblemDetails Validate(string? township, string? inspector, string? householdId, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidateEnum<Inspector>("inspector", inspector, errors);
        if (householdId is not null && !Guid.TryParse(householdId, out _)) errors.Add("householdId", "is not a household id.");
        QueryValues.ValidatePaging(cursor, limit, errors);
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? errors.ToProblem();
    }

    /// <summary>Inspections in the order recorded, filtered by <c>township</c>, <c>inspector</c> and <c>householdId</c>.</summary>
    [WolverineGet("/api/inspections"), Tags("Inspections")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<InspectionResponse>> Get(string? township, string? inspector, string? householdId, string? cursor,
        string? limit, TownshipDirectory townships, Caller caller, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<InspectionDetails>().AsQueryable();
        if (TownshipScope.Of(township, caller, townships) is { } code) query = query.Where(x => x.Township == code);
        if (QueryValues.Enum<Inspector>(inspector) is { } who) query = query.Where(x => x.Inspector == who);
        if (householdId is not null)
        {
            var household = Guid.Parse(householdId);
            query = query.Where(x => x.HouseholdId == household);
        }

        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));
        var found = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var page = found.Take(size).ToList();
        var keys = await vault.Keys(session, InspectionResponse.Sealed(page), token);
        var items = page.Select(i => InspectionResponse.Of(i, keys)).ToList();
        return new Page<InspectionResponse>(items, found.Count > size ? items[^1].Id.ToString() : null);
    }
}

public static class ListOverdueFollowUpsEndpoint
{
    public static ProblemDetails Validate(string? township, string? owner, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidateEnum<Department>("owner", owner, errors);
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? errors.ToProblem();
    }

    /// <summary>
    /// Open follow-ups whose due date has passed (due before today, China time), most overdue first;
    /// filtered by <c>township</c> and by the owning department (<c>owner</c>).
    /// </summary>
    [WolverineGet("/api/inspections/overdue-follow-ups"), Tags("Inspections")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<OverdueFollowUp>> Get(string? township, string? owner, TownshipDirectory townships,
        Caller caller, IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var today = ChinaTime.Today(now);
        var query = session.Query<InspectionDetails>().Where(x => x.EarliestOpenDueOn != null && x.EarliestOpenDueOn < today);
        if (TownshipScope.Of(township, caller, townships) is { } code) query = query.Where(x => x.Township == code);
        var department = QueryValues.Enum<Department>(owner);
        var inspections = await query.ToListAsync(token);
        return inspections
            .SelectMany(i => i.FollowUps
                .Where(f => f.CompletedOn is null && f.DueOn < today && (department is null || f.Owner == department))
                .Select(f => new OverdueFollowUp(i.Id, i.Township, i.Inspector, i.InspectedOn, i.HouseholdId, i.CaregiverFamilyId,
                    f.Number, f.Action, f.Owner, f.DueOn, today.DayNumber - f.DueOn.DayNumber)))
            .OrderBy(f => f.DueOn).ThenBy(f => f.InspectionId).ThenBy(f => f.Number)
            .ToList();
    }
}
