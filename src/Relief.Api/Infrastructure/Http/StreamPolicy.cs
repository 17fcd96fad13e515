using Marten;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// What a module declares for one kind of stream its write routes name by a route parameter
/// (<c>{householdId}</c> names a household): the stream's type, its 404, and its 409 once archived.
/// </summary>
public sealed record StreamRoute(string Parameter, Type StreamType, Func<Guid, ProblemDetails> NotFound, Func<Guid, ProblemDetails> Archived)
{
    /// <summary>A route parameter naming a stream of <typeparamref name="T"/>; an archived one answers the shared 409 unless the module names its own.</summary>
    public static StreamRoute For<T>(string parameter, Func<Guid, ProblemDetails> notFound, Func<Guid, ProblemDetails>? archived = null) =>
        new(parameter, typeof(T), notFound, archived ?? ArchivedStream);

    /// <summary>409: the stream was archived and takes no more changes.</summary>
    public static ProblemDetails ArchivedStream(Guid id) =>
        Problems.Conflict(ProblemTypes.Conflict, "The record is archived.",
            $"{id} was archived; its record is kept for auditors and takes no more changes.");

    /// <summary>The problem a write to stream <paramref name="id"/> meets, or null when the stream is there, of this type and live.</summary>
    public async Task<ProblemDetails?> CheckAsync(Guid id, IDocumentSession session, CancellationToken token) =>
        await session.Events.FetchStreamStateAsync(id, token) switch
        {
            null => NotFound(id),
            // A stream whose type Marten cannot name (a type it has not met in this process) passes; the load decides.
            { AggregateType: { } type } when type != StreamType => NotFound(id),
            { IsArchived: true } => Archived(id),
            _ => null,
        };
}

/// <summary>Every <see cref="StreamRoute"/> the modules declared, in the order they declared them.</summary>
public sealed class StreamRoutes
{
    private readonly List<StreamRoute> _all = [];

    public IReadOnlyList<StreamRoute> All => _all;

    public void Add(StreamRoute route)
    {
        if (_all.Any(r => r.Parameter == route.Parameter))
            throw new InvalidOperationException($"The route parameter '{route.Parameter}' is declared twice.");
        _all.Add(route);
    }
}

/// <summary>
/// One policy for every write route that names a stream: an unknown stream, or a stream of another
/// type, is the module's 404; an archived stream its 409. It runs before the write model is loaded,
/// so a mistyped id is never answered with a misleading 409 by the optimistic-concurrency check,
/// whatever version the caller sent. Modules declare their streams (<see cref="AddStreamRoute"/>);
/// this class knows none of them.
/// </summary>
public static class StreamPolicy
{
    /// <summary>Declares that <see cref="StreamRoute.Parameter"/> names a stream of <see cref="StreamRoute.StreamType"/> on every write route.</summary>
    public static IServiceCollection AddStreamRoute(this IServiceCollection services, StreamRoute route)
    {
        var routes = services.Select(d => d.IsKeyedService ? null : d.ImplementationInstance).OfType<StreamRoutes>().SingleOrDefault();
        if (routes is null) services.AddSingleton(routes = new StreamRoutes());
        routes.Add(route);
        return services;
    }

    /// <summary>Applies the policy to every write route naming a declared stream.</summary>
    public static void RequireDeclaredStreams(this WolverineHttpOptions opts, IServiceProvider services)
    {
        var routes = services.GetService<StreamRoutes>() ?? new StreamRoutes();
        opts.AddMiddleware(typeof(StreamMustExist), chain => StreamMustExist.AppliesTo(chain, routes));
    }
}

/// <summary>The middleware of <see cref="StreamPolicy"/>.</summary>
public static class StreamMustExist
{
    public static bool AppliesTo(HttpChain chain, StreamRoutes routes) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.RoutePattern?.Parameters.Any(p => routes.All.Any(r => r.Parameter == p.Name)) == true;

    public static async Task<ProblemDetails> BeforeAsync(HttpContext context, StreamRoutes routes, IDocumentSession session, CancellationToken token)
    {
        foreach (var route in routes.All)
        {
            // An id that is no Guid is left to Wolverine's route binding, which answers it as before.
            if (context.Request.RouteValues.TryGetValue(route.Parameter, out var value) && Guid.TryParse(value as string, out var id)
                && await route.CheckAsync(id, session, token) is { } problem)
                return problem;
        }

        return WolverineContinue.NoProblems;
    }
}
