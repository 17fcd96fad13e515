using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>
/// A write to an unknown training class (or to a stream that is not a class) is a 404, before any
/// concurrency check could answer a misleading 409.
/// </summary>
public static class TrainingClassMustExist
{
    public static bool AppliesTo(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.RoutePattern?.Parameters.Any(p => p.Name == "classId") == true;

    public static async Task<ProblemDetails> BeforeAsync(Guid classId, IDocumentSession session, CancellationToken token) =>
        await session.Events.FetchStreamStateAsync(classId, token) is { AggregateType: var type } && type == typeof(TrainingClass)
            ? WolverineContinue.NoProblems
            : TrainingRules.NotFound(classId);
}
