using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies;

/// <summary>A case past its service time: whose it is and by how many days.</summary>
public sealed record OverdueCase(
    Guid Id,
    ExtendedPolicy Policy,
    Guid? CaregiverFamilyId,
    Guid? HouseholdId,
    string Township,
    CaseStage Stage,
    DateOnly StageSince,
    DateOnly DueOn,
    int DaysOverdue,
    IReadOnlyList<Department> OwningDepartments);

public static class ListPolicyCasesEndpoint
{
    public static ProblemDetails Validate(string? department, string? policy, string? open, string? cursor, string? limit)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateEnum<Department>("department", department, errors);
        QueryValues.ValidateEnum<ExtendedPolicy>("policy", policy, errors);
        if (QueryValues.Enum<ExtendedPolicy>(policy) is { } p && !PolicyCaseRules.CasePolicies.Contains(p))
            errors.Add("policy", $"{p} is not recorded as a case.");
        QueryValues.ValidateBool("open", open, errors);
        QueryValues.ValidatePaging(cursor, limit, errors);
        return errors.ToProblem();
    }

    /// <summary>
    /// Policy cases in id order (the order opened), one page at a time: <c>department</c> keeps the
    /// policies it owns (per the ownership table), <c>policy</c> one policy, <c>open=true</c> the cases
    /// waiting for a department (<c>false</c>: the others), each with its age in days. A township key
    /// sees its own township only.
    /// </summary>
    [WolverineGet("/api/policy-cases"), Tags("Extended policies")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<PolicyCaseSummary>> Get([Query(OneOf = typeof(Department))] string? department, [Query(OneOf = typeof(ExtendedPolicy))] string? policy, string? open, string? cursor,
        string? limit, Caller caller, OwnershipTable ownership, IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var query = session.Query<PolicyCaseDetails>().AsQueryable();
        if (QueryValues.Enum<Department>(department) is { } owner)
        {
            var owned = PolicyCaseRules.CasePolicies.Where(p => PolicyCaseRules.OwnersOf(p, ownership).Contains(owner)).ToArray();
            query = query.Where(x => owned.Contains(x.Policy));
        }

        if (QueryValues.Enum<ExtendedPolicy>(policy) is { } one) query = query.Where(x => x.Policy == one);
        if (QueryValues.Bool(open) is { } isOpen) query = query.Where(x => x.Open == isOpen);
        if (caller.Township is { } township) query = query.Where(x => x.Township == township);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(x => x.MatchesSql("d.id > ?", after));

        var size = QueryValues.Limit(limit);
        var cases = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var items = cases.Take(size).Select(c => PolicyCaseSummary.Of(c, ownership, now)).ToList();
        return new Page<PolicyCaseSummary>(items, cases.Count > size ? items[^1].Id.ToString() : null);
    }
}

public static class ListOverdueCasesEndpoint
{
    /// <summary>
    /// The cases past their stage's service time now, the longest overdue first, each naming the
    /// departments that own it (raised by the scheduled deadline check). A township key sees its own township only.
    /// </summary>
    [WolverineGet("/api/policy-cases/overdue"), Tags("Extended policies")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<OverdueCase>> Get(Caller caller, IQuerySession session, DateTimeOffset now,
        CancellationToken token)
    {
        var query = session.Query<PolicyCaseDetails>().Where(x => x.Overdue);
        if (caller.Township is { } township) query = query.Where(x => x.Township == township);
        var cases = await query.ToListAsync(token);
        var today = ChinaTime.Today(now);
        return cases.OrderBy(c => c.DueOn).ThenBy(c => c.Id)
            .Select(c => new OverdueCase(c.Id, c.Policy, c.CaregiverFamilyId, c.HouseholdId, c.Township, c.Stage, c.StageSince,
                c.DueOn!.Value, today.DayNumber - c.DueOn.Value.DayNumber, c.OwningDepartments))
            .ToList();
    }
}
