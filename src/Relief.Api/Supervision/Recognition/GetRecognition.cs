using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Supervision;

/// <summary>What a caregiver family was recognised with: meetings that honoured it, honours, material rewards (by date).</summary>
public sealed record FamilyRecognition(
    Guid CaregiverFamilyId,
    IReadOnlyList<ExemplaryDeedMeetingDetails> Meetings,
    IReadOnlyList<HonourDetails> Honours,
    IReadOnlyList<MaterialRewardResponse> MaterialRewards,
    decimal RewardedAmount);

public static class GetExemplaryDeedMeetingEndpoint
{
    public static Task<ExemplaryDeedMeetingDetails?> LoadAsync(Guid meetingId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<ExemplaryDeedMeetingDetails>(meetingId, token);

    public static ProblemDetails Validate(ExemplaryDeedMeetingDetails? meeting, Guid meetingId, Caller caller) =>
        meeting is null ? SupervisionRules.NotFound("exemplary-deed meeting", meetingId)
        : TownshipScope.Access(meeting.Township, caller) ?? WolverineContinue.NoProblems;

    [WolverineGet("/api/exemplary-deed-meetings/{meetingId}"), Tags("Recognition")]
    [Authorize(Scopes.HouseholdsRead)]
    public static ExemplaryDeedMeetingDetails Get(Guid meetingId, ExemplaryDeedMeetingDetails meeting) => meeting;
}

public static class ListExemplaryDeedMeetingsEndpoint
{
    public static ProblemDetails Validate(string? township, string? cursor, string? limit, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidatePaging(cursor, limit, errors);
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? errors.ToProblem();
    }

    /// <summary>Meetings in the order recorded, filtered by <c>township</c>.</summary>
    [WolverineGet("/api/exemplary-deed-meetings"), Tags("Recognition")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<ExemplaryDeedMeetingDetails>> Get(string? township, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<ExemplaryDeedMeetingDetails>().AsQueryable();
        if (TownshipScope.Of(township, caller, townships) is { } code) query = query.Where(x => x.Township == code);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));
        var found = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var items = found.Take(size).ToList();
        return new Page<ExemplaryDeedMeetingDetails>(items, found.Count > size ? items[^1].Id.ToString() : null);
    }
}

public static class ListHonoursEndpoint
{
    public static ProblemDetails Validate(string? kind, string? township, string? cursor, string? limit, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateEnum<HonourKind>("kind", kind, errors);
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidatePaging(cursor, limit, errors);
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? errors.ToProblem();
    }

    /// <summary>Honours in the order awarded (recorded), filtered by <c>kind</c> and <c>township</c> (the family's).</summary>
    [WolverineGet("/api/honours"), Tags("Recognition")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<HonourDetails>> Get([Query(OneOf = typeof(HonourKind))] string? kind, string? township, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<HonourDetails>().AsQueryable();
        if (QueryValues.Enum<HonourKind>(kind) is { } k) query = query.Where(x => x.Kind == k);
        if (TownshipScope.Of(township, caller, townships) is { } code) query = query.Where(x => x.Township == code);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));
        var found = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var items = found.Take(size).ToList();
        return new Page<HonourDetails>(items, found.Count > size ? items[^1].Id.ToString() : null);
    }
}

public static class ListMaterialRewardsEndpoint
{
    public static ProblemDetails Validate(string? township, string? cursor, string? limit, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidatePaging(cursor, limit, errors);
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? errors.ToProblem();
    }

    /// <summary>Material rewards in the order recorded, filtered by <c>township</c> (the family's).</summary>
    [WolverineGet("/api/material-rewards"), Tags("Recognition")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<MaterialRewardResponse>> Get(string? township, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<MaterialRewardDetails>().AsQueryable();
        if (TownshipScope.Of(township, caller, townships) is { } code) query = query.Where(x => x.Township == code);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));
        var found = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var items = found.Take(size).ToList();
        return new Page<MaterialRewardResponse>(await MaterialRewardResponse.Of(items, session, vault, token),
            found.Count > size ? items[^1].Id.ToString() : null);
    }
}

public static class GetFamilyRecognitionEndpoint
{
    public static Task<CaregiverFamilyDetails?> LoadAsync(Guid familyId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<CaregiverFamilyDetails>(familyId, token);

    public static ProblemDetails Validate(CaregiverFamilyDetails? family, Guid familyId, Caller caller) =>
        family is not { Registered: true } ? CaregiverFamilyRules.NotFound(familyId)
        : TownshipScope.Access(family.Township, caller) ?? WolverineContinue.NoProblems;

    /// <summary>The meetings that honoured the family, its honours and its material rewards (with their sum in yuan).</summary>
    [WolverineGet("/api/caregiver-families/{familyId}/recognition"), Tags("Recognition")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<FamilyRecognition> Get(Guid familyId, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var meetings = await session.Query<ExemplaryDeedMeetingDetails>().Where(x => x.FamiliesHonoured.Contains(familyId))
            .OrderBy(x => x.HeldOn).ToListAsync(token);
        var honours = await session.Query<HonourDetails>().Where(x => x.CaregiverFamilyId == familyId)
            .OrderBy(x => x.AwardedOn).ToListAsync(token);
        var rewards = await session.Query<MaterialRewardDetails>().Where(x => x.CaregiverFamilyId == familyId)
            .OrderBy(x => x.AwardedOn).ToListAsync(token);
        return new FamilyRecognition(familyId, meetings, honours, await MaterialRewardResponse.Of(rewards, session, vault, token),
            rewards.Sum(r => r.Amount));
    }
}
