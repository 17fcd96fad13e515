using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// A write to an unknown caregiver family is a 404, whatever version the caller sent; so is a
/// write naming the id of another kind of stream (a household, an agreement). Without this, the
/// optimistic-concurrency check would answer a mistyped id with a misleading 409.
/// </summary>
public static class FamilyMustExist
{
    public static bool AppliesTo(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.RoutePattern?.Parameters.Any(p => p.Name == "familyId") == true;

    public static async Task<ProblemDetails> BeforeAsync(Guid familyId, IDocumentSession session, CancellationToken token)
    {
        var state = await session.Events.FetchStreamStateAsync(familyId, token);
        return state is null || (state.AggregateType is not null && state.AggregateType != typeof(CaregiverFamily))
            ? CaregiverFamilyRules.NotFound(familyId)
            : WolverineContinue.NoProblems;
    }
}
