using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies.Needs;

/// <summary>
/// One need of a family's latest survey: where it stands (<c>Open</c>, <c>InProgress</c>, <c>Met</c>), the
/// departments that own its policy, and the case or measure that meets it or is in progress (<c>measure</c>).
/// </summary>
public sealed record NeedLine(ExtendedPolicy Policy, NeedStatus Status, IReadOnlyList<Department> Owners, Measure? Measure);

/// <summary>A family's latest survey followed need by need (逐人落实); no survey yet: <c>surveyedOn</c> null, no needs.</summary>
public sealed record FamilyNeedsFollowed(Guid FamilyId, string Township, DateOnly? SurveyedOn, IReadOnlyList<NeedLine> Needs);

/// <summary>An unmet need of one family: since the survey that found it, and the case in progress if any.</summary>
public sealed record UnmetNeedLine(Guid FamilyId, string Township, ExtendedPolicy Policy, NeedStatus Status, DateOnly SurveyedOn,
    Guid? CaseId, IReadOnlyList<Department> Owners);

/// <summary>A count of unmet needs under one key (a policy, a department or a township).</summary>
public sealed record NeedCount(string Key, int Unmet, int InProgress);

/// <summary>
/// The needs still unmet (未落实): <c>total</c>, by policy, by the department that owns the policy (a policy
/// owned by two departments counts under both), by township, and every unmet need (<c>items</c>, by
/// township, family and policy).
/// </summary>
public sealed record UnmetNeeds(
    DateTimeOffset AsOf,
    string? Township,
    int Total,
    IReadOnlyList<NeedCount> ByPolicy,
    IReadOnlyList<NeedCount> ByDepartment,
    IReadOnlyList<NeedCount> ByTownship,
    IReadOnlyList<UnmetNeedLine> Items)
{
    public static UnmetNeeds Of(IReadOnlyList<CaregiverFamilyDetails> families, ILookup<Guid, Measure> measures, OwnershipTable ownership,
        string? township, ExtendedPolicy? policy, Department? department, DateTimeOffset asOf)
    {
        var items = families
            .SelectMany(f => NeedFulfilment.Follow(NeedMeasures.SurveyOf(f), measures[f.Id].ToList())
                .Where(n => n.Status != NeedStatus.Met)
                .Select(n => new UnmetNeedLine(f.Id, f.Township, n.Policy, n.Status, f.Needs!.SurveyedOn,
                    n.By is { Kind: MeasureKind.PolicyCase } open ? open.Id : null, NeedMeasures.OwnersOf(n.Policy, ownership))))
            .Where(n => (policy is null || n.Policy == policy) && (department is null || n.Owners.Contains(department.Value)))
            .OrderBy(n => n.Township, StringComparer.Ordinal).ThenBy(n => n.FamilyId).ThenBy(n => n.Policy)
            .ToList();

        static IReadOnlyList<NeedCount> By(IEnumerable<(string Key, UnmetNeedLine Line)> keyed) =>
            keyed.GroupBy(k => k.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new NeedCount(g.Key, g.Count(), g.Count(k => k.Line.Status == NeedStatus.InProgress))).ToList();

        return new UnmetNeeds(asOf, township, items.Count,
            By(items.Select(i => (i.Policy.ToString(), i))),
            By(items.SelectMany(i => i.Owners.Select(o => (o.ToString(), i)))),
            By(items.Select(i => (i.Township, i))),
            items);
    }
}

public static class GetFamilyNeedsEndpoint
{
    public static Task<CaregiverFamilyDetails?> LoadAsync(Guid familyId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<CaregiverFamilyDetails>(familyId, token);

    public static ProblemDetails Validate(CaregiverFamilyDetails? family, Guid familyId, Caller caller) =>
        family is not { Registered: true } ? CaregiverFamilyRules.NotFound(familyId)
        : TownshipScope.Access(family.Township, caller, "family") ?? WolverineContinue.NoProblems;

    /// <summary>The family's latest needs survey, each need followed to the case or measure that meets it (逐人落实).</summary>
    [WolverineGet("/api/caregiver-families/{familyId}/needs"), Tags("Caregiver families")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<FamilyNeedsFollowed> Get(Guid familyId, CaregiverFamilyDetails family, IQuerySession session,
        OwnershipTable ownership, CancellationToken token)
    {
        var (_, measures) = await NeedMeasures.LoadAsync(session, null, familyId, token);
        var familyMeasures = measures[familyId].ToList();
        if (family.Needs is null)
            return new FamilyNeedsFollowed(family.Id, family.Township, null, []);
        return new FamilyNeedsFollowed(family.Id, family.Township, family.Needs.SurveyedOn,
            NeedFulfilment.Follow(NeedMeasures.SurveyOf(family), familyMeasures)
                .Select(n => new NeedLine(n.Policy, n.Status, NeedMeasures.OwnersOf(n.Policy, ownership), n.By)).ToList());
    }
}

public static class GetUnmetNeedsEndpoint
{
    public static ProblemDetails Validate(string? township, string? policy, string? department, TownshipDirectory townships, Caller caller)
    {
        if (!caller.Has(Scopes.ReportsRead) && !caller.Has(Scopes.HouseholdsRead))
            return Problems.Forbidden($"The unmet needs need the scope {Scopes.ReportsRead} or {Scopes.HouseholdsRead}.");
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (policy is not null && !Enum.TryParse<ExtendedPolicy>(policy, false, out _))
            errors.Add("policy", $"is one of {string.Join(", ", Enum.GetNames<ExtendedPolicy>())}.");
        if (department is not null && !Enum.TryParse<Department>(department, false, out _))
            errors.Add("department", $"is one of {string.Join(", ", Enum.GetNames<Department>())}.");
        if (errors.Any) return errors.ToProblem();
        return TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>
    /// The needs of the latest surveys not met yet, for the county or a <c>township</c> (a township key: its own),
    /// filtered by <c>policy</c> and by <c>department</c> (the departments owning the policy, as configured).
    /// </summary>
    [WolverineGet("/api/needs/unmet"), Tags("Extended policies")]
    [Authorize]
    public static async Task<UnmetNeeds> Get(string? township, string? policy, string? department, TownshipDirectory townships,
        Caller caller, OwnershipTable ownership, IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var code = TownshipScope.Of(township, caller, townships);
        var (families, measures) = await NeedMeasures.LoadAsync(session, code, null, token);
        return UnmetNeeds.Of(families, measures, ownership, code,
            policy is null ? null : Enum.Parse<ExtendedPolicy>(policy), department is null ? null : Enum.Parse<Department>(department), now);
    }
}
