using Marten;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Problems;
using Wolverine.Http;

namespace Relief.Api.Households;

/// <summary>
/// A write to an unknown household is a 404, whatever version the caller sent. Without this, the
/// optimistic-concurrency check would answer a mistyped id with a misleading 409.
/// </summary>
public static class HouseholdMustExist
{
    public static bool AppliesTo(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.RoutePattern?.Parameters.Any(p => p.Name == "householdId") == true;

    public static async Task<ProblemDetails> BeforeAsync(Guid householdId, IDocumentSession session, CancellationToken token) =>
        await session.Events.FetchStreamStateAsync(householdId, token) switch
        {
            null => HouseholdRules.NotFound(householdId),
            { IsArchived: true } => Problems.Conflict(ProblemTypes.HouseholdClosed, "The household is closed.",
                $"Household {householdId} left the safety net; its record is kept for auditors and takes no more changes."),
            _ => WolverineContinue.NoProblems,
        };
}
