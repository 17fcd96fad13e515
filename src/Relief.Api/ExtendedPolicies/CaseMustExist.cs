using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// A write to an unknown policy case is a 404, whatever version the caller sent; so is a write
/// naming the id of another kind of stream. Without this, the optimistic-concurrency check would
/// answer a mistyped id with a misleading 409.
/// </summary>
public static class CaseMustExist
{
    public static bool AppliesTo(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.RoutePattern?.Parameters.Any(p => p.Name == "caseId") == true;

    public static async Task<ProblemDetails> BeforeAsync(Guid caseId, IDocumentSession session, CancellationToken token)
    {
        var state = await session.Events.FetchStreamStateAsync(caseId, token);
        return state is null || (state.AggregateType is not null && state.AggregateType != typeof(PolicyCase))
            ? PolicyCaseRules.NotFound(caseId)
            : WolverineContinue.NoProblems;
    }
}
