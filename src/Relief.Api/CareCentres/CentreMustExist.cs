using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Relief.Api.CareCentres;

/// <summary>
/// A write to an unknown care centre (or to a stream that is not a centre) is a 404, before any
/// concurrency check could answer a misleading 409.
/// </summary>
public static class CentreMustExist
{
    public static bool AppliesTo(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.RoutePattern?.Parameters.Any(p => p.Name == "centreId") == true;

    public static async Task<ProblemDetails> BeforeAsync(Guid centreId, IDocumentSession session, CancellationToken token) =>
        await session.Events.FetchStreamStateAsync(centreId, token) is { AggregateType: var type } && type == typeof(CareCentre)
            ? WolverineContinue.NoProblems
            : CentreRules.NotFound(centreId);
}
