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

public static class GetJobPlacementEndpoint
{
    public static Task<JobPlacementDetails?> LoadAsync(Guid placementId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<JobPlacementDetails>(placementId, token);

    public static ProblemDetails Validate(JobPlacementDetails? placement, Guid placementId, Caller caller) =>
        placement is null
            ? Problems.NotFound("No such job placement.", $"There is no job placement {placementId}.")
            : TownshipScope.Access(placement.Township, caller) ?? WolverineContinue.NoProblems;

    [WolverineGet("/api/job-placements/{placementId}"), Tags("Training and employment")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<JobPlacementResponse> Get(Guid placementId, JobPlacementDetails placement, IQuerySession session,
        PersonalDataVault vault, CancellationToken token) =>
        JobPlacementResponse.Of(placement, await vault.Keys(session,
            ExceptionKeys.FamiliesOf([(placement.CaregiverFamilyId, placement.Exception)]), [placement.MemberId], token));
}

public static class ListJobPlacementsEndpoint
{
    public static ProblemDetails Validate(string? channel, string? township, string? cursor, string? limit, TownshipDirectory townships,
        Caller caller)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateEnum<PlacementChannel>("channel", channel, errors);
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidatePaging(cursor, limit, errors);
        if (errors.Any) return errors.ToProblem();

        return TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Placements in the order recorded, filtered by <c>channel</c> and <c>township</c> (the family's);
    /// a township key sees only its own township.
    /// </summary>
    [WolverineGet("/api/job-placements"), Tags("Training and employment")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<JobPlacementResponse>> Get(string? channel, string? township, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<JobPlacementDetails>().AsQueryable();
        if (QueryValues.Enum<PlacementChannel>(channel) is { } c) query = query.Where(x => x.Channel == c);
        if ((township is null ? caller.Township : townships.Find(township)!.Code) is { } code) query = query.Where(x => x.Township == code);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));

        var placements = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var page = placements.Take(size).ToList();
        var keys = await vault.Keys(session, ExceptionKeys.FamiliesOf(page.Select(p => (p.CaregiverFamilyId, p.Exception))),
            page.Select(p => p.MemberId).ToList(), token);
        var items = page.Select(p => JobPlacementResponse.Of(p, keys)).ToList();
        return new Page<JobPlacementResponse>(items, placements.Count > size ? items[^1].Id.ToString() : null);
    }
}
