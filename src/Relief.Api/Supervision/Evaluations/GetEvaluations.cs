using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Supervision;

/// <summary>The rubric as the API shows it: the score range, the threshold in force and what each level means.</summary>
public sealed record RubricResponse(int Lowest, int Highest, decimal WarningThreshold, IReadOnlyDictionary<string, string[]> Levels);

public static class GetEvaluationEndpoint
{
    public static async Task<(EvaluationDetails?, KeyChain)> LoadAsync(Guid evaluationId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var evaluation = await session.LoadAsync<EvaluationDetails>(evaluationId, token);
        return (evaluation, evaluation is null ? KeyChain.Empty : await vault.Keys(session, evaluation.Warnings.Select(w => w.CaregiverName).Append(evaluation.Note), token));
    }

    public static ProblemDetails Validate(EvaluationDetails? evaluation, Guid evaluationId, Caller caller) =>
        evaluation is null ? SupervisionRules.NotFound("evaluation", evaluationId)
        : TownshipScope.Access(evaluation.Township, caller) ?? WolverineContinue.NoProblems;

    [WolverineGet("/api/evaluations/{evaluationId}"), Tags("Evaluations")]
    [Authorize(Scopes.HouseholdsRead)]
    public static EvaluationResponse Get(Guid evaluationId, EvaluationDetails evaluation, KeyChain keys) =>
        EvaluationResponse.Of(evaluation, keys);
}

public static class GetRubricEndpoint
{
    /// <summary>The evaluation rubric: each item 1 to 5, what each level means, and the warning threshold.</summary>
    [WolverineGet("/api/evaluations/rubric"), Tags("Evaluations")]
    [Authorize(Scopes.HouseholdsRead)]
    public static RubricResponse Get(IConfiguration configuration) =>
        new(Rubric.Lowest, Rubric.Highest, Rubric.WarningThreshold(configuration), Rubric.Levels);
}

public static class ListHouseholdEvaluationsEndpoint
{
    public static Task<HouseholdDetails?> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<HouseholdDetails>(householdId, token);

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller) =>
        HouseholdRules.Readable(household, householdId, caller) ?? WolverineContinue.NoProblems;

    /// <summary>A household's evaluations, the latest first, with the warnings each caused.</summary>
    [WolverineGet("/api/households/{householdId}/evaluations"), Tags("Evaluations")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<EvaluationResponse>> Get(Guid householdId, HouseholdDetails household, IQuerySession session,
        PersonalDataVault vault, CancellationToken token) =>
        await EvaluationResponse.Of(await session.Query<EvaluationDetails>().Where(x => x.HouseholdId == householdId)
            .OrderByDescending(x => x.EvaluatedOn).ThenByDescending(x => x.Id).ToListAsync(token), session, vault, token);
}

public static class ListEvaluationsEndpoint
{
    public static ProblemDetails Validate(string? township, string? warned, string? cursor, string? limit, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidateBool("warned", warned, errors);
        QueryValues.ValidatePaging(cursor, limit, errors);
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? errors.ToProblem();
    }

    /// <summary>
    /// Evaluations in the order recorded, filtered by <c>township</c> and by <c>warned</c> (true: only those
    /// that warned a caregiver — the list of warnings).
    /// </summary>
    [WolverineGet("/api/evaluations"), Tags("Evaluations")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<EvaluationResponse>> Get(string? township, string? warned, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<EvaluationDetails>().AsQueryable();
        if (TownshipScope.Of(township, caller, townships) is { } code) query = query.Where(x => x.Township == code);
        if (QueryValues.Bool(warned) is { } w) query = query.Where(x => x.Warned == w);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));
        var found = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var items = found.Take(size).ToList();
        return new Page<EvaluationResponse>(await EvaluationResponse.Of(items, session, vault, token),
            found.Count > size ? items[^1].Id.ToString() : null);
    }
}

public static class ListFamilyWarningsEndpoint
{
    public static Task<CaregiverFamilyDetails?> LoadAsync(Guid familyId, IQuerySession session,
        CancellationToken token) =>
        session.LoadAsync<CaregiverFamilyDetails>(familyId, token);

    public static ProblemDetails Validate(CaregiverFamilyDetails? family, Guid familyId, Caller caller) =>
        family is not { Registered: true } ? CaregiverFamilyRules.NotFound(familyId)
        : TownshipScope.Access(family.Township, caller) ?? WolverineContinue.NoProblems;

    /// <summary>The evaluations that warned a caregiver family (through any agreement it holds), the latest first.</summary>
    [WolverineGet("/api/caregiver-families/{familyId}/warnings"), Tags("Evaluations")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<EvaluationResponse>> Get(Guid familyId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        await EvaluationResponse.Of(await session.Query<EvaluationDetails>().Where(x => x.Warnings.Any(w => w.CaregiverFamilyId == familyId))
            .OrderByDescending(x => x.EvaluatedOn).ThenByDescending(x => x.Id).ToListAsync(token), session, vault, token);
}
