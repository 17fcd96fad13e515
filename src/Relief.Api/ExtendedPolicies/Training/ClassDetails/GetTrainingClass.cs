using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>A class in a list: its dates and seats, without the enrolments.</summary>
public sealed record TrainingClassSummary(
    Guid Id, Trade Trade, string Title, string Provider, string? Township, DateOnly StartsOn, DateOnly EndsOn,
    int Capacity, int Enrolled, int Completed, int SeatsFree);

public static class GetTrainingClassEndpoint
{
    public static Task<TrainingClassDetails?> LoadAsync(Guid classId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<TrainingClassDetails>(classId, token);

    public static ProblemDetails Validate(TrainingClassDetails? trainingClass, Guid classId, Caller caller) =>
        trainingClass is null ? TrainingRules.NotFound(classId)
        : TownshipScope.Access(trainingClass.Township, caller) ?? WolverineContinue.NoProblems;

    /// <summary>A class with its seats (enrolled, completed, free) and every enrolment.</summary>
    [WolverineGet("/api/training-classes/{classId}"), Tags("Training and employment")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<TrainingClassResponse> Get(Guid classId, TrainingClassDetails trainingClass, IQuerySession session,
        PersonalDataVault vault, Caller caller, CancellationToken token) =>
        TrainingClassResponse.Of(trainingClass,
            await vault.Keys(session, ExceptionKeys.FamiliesOf(trainingClass.Enrolments.Select(e => (e.CaregiverFamilyId, e.Exception))),
                trainingClass.Enrolments.Select(e => e.MemberId).ToList(), token), caller.Has(Scopes.PiiRead));
}

public static class ListTrainingClassesEndpoint
{
    public static ProblemDetails Validate(string? trade, string? township, string? cursor, string? limit, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateEnum<Trade>("trade", trade, errors);
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidatePaging(cursor, limit, errors);
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? errors.ToProblem();
    }

    /// <summary>Classes in the order scheduled, filtered by <c>trade</c> and <c>township</c>, one page at a time.</summary>
    [WolverineGet("/api/training-classes"), Tags("Training and employment")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<TrainingClassSummary>> Get(string? trade, string? township, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<TrainingClassDetails>().AsQueryable();
        if (QueryValues.Enum<Trade>(trade) is { } t) query = query.Where(x => x.Trade == t);
        if (TownshipScope.Of(township, caller, townships) is { } code) query = query.Where(x => x.Township == code || x.Township == null);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));

        var classes = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var items = classes.Take(size).Select(c => new TrainingClassSummary(c.Id, c.Trade, c.Title, c.Provider, c.Township,
            c.StartsOn, c.EndsOn, c.Capacity, c.Enrolled, c.Completed, c.SeatsFree)).ToList();
        return new Page<TrainingClassSummary>(items, classes.Count > size ? items[^1].Id.ToString() : null);
    }
}
