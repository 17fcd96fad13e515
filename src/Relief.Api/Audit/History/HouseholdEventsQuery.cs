using Marten;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Audit.History;

/// <summary>
/// What a household's history and its ledger both check before they read its events: the household
/// exists, the filters parse, and the caller's township may see it.
/// </summary>
public static class HouseholdEventsQuery
{
    public static Task<HouseholdDetails?> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<HouseholdDetails>(householdId, token);

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller, string? department,
        string? type, string? from, string? to, string? dates, string? asOf, string? cursor, string? limit)
    {
        if (AuditQuery.Validate(department, type, from, to, dates, asOf, cursor, limit) is { } invalid) return invalid;
        if (household is null) return HouseholdRules.NotFound(householdId);
        return TownshipScope.Access(household.Township, caller, "household") ?? WolverineContinue.NoProblems;
    }
}
