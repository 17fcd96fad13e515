using JasperFx.Events;
using Marten;
using Marten.Services.BatchQuerying;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Wolverine.Http;
using Wolverine.Http.Runtime;
using Wolverine.Persistence.EventSourcing;
using JasperFx;
using JasperFx.CodeGeneration;

namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// What a module declares for one kind of stream its write routes name by a route parameter
/// (<c>{householdId}</c> names a household): the stream's type, its 404, its 409 once archived, and
/// the views its inline projections keep under the stream's id (<see cref="WithInlineView{TView}"/>).
/// </summary>
public sealed record StreamRoute(string Parameter, Type StreamType, Func<Guid, ProblemDetails> NotFound, Func<Guid, ProblemDetails> Archived)
{
    /// <summary>A route parameter naming a stream of <typeparamref name="T"/>; an archived one answers the shared 409 unless the module names its own.</summary>
    public static StreamRoute For<T>(string parameter, Func<Guid, ProblemDetails> notFound, Func<Guid, ProblemDetails>? archived = null) =>
        new(parameter, typeof(T), notFound, archived ?? ArchivedStream);

    /// <summary>The views an inline projection keeps under the stream's id (read with the write model by the routes that write to it).</summary>
    public IReadOnlyList<InlineView> InlineViews { get; init; } = [];

    /// <summary>
    /// An inline projection keeps <typeparamref name="TView"/> under this stream's id: a route that
    /// writes to the stream reads it in the same round trip as the write model, into the session's
    /// identity map, where Marten's inline projection finds it instead of loading it again.
    /// </summary>
    public StreamRoute WithInlineView<TView>() where TView : class => this with { InlineViews = [.. InlineViews, InlineView.Of<TView>()] };

    /// <summary>409: the stream was archived and takes no more changes.</summary>
    public static ProblemDetails ArchivedStream(Guid id) =>
        Problems.Conflict(ProblemTypes.Conflict, "The record is archived.",
            $"{id} was archived; its record is kept for auditors and takes no more changes.");

    /// <summary>The problem a write to stream <paramref name="id"/> meets, or null when the stream is there, of this type and live.</summary>
    public async Task<ProblemDetails?> CheckAsync(Guid id, IDocumentSession session, CancellationToken token) =>
        Check(id, await session.Events.FetchStreamStateAsync(id, token));

    /// <summary>The problem a write to stream <paramref name="id"/> in state <paramref name="state"/> meets (null: there, of this type and live).</summary>
    public ProblemDetails? Check(Guid id, StreamState? state) =>
        state switch
        {
            null => NotFound(id),
            // A stream whose type Marten cannot name (a type it has not met in this process) passes; the load decides.
            { AggregateType: { } type } when type != StreamType => NotFound(id),
            { IsArchived: true } => Archived(id),
            _ => null,
        };
}

/// <summary>A view an inline projection keeps under its stream's id, as <see cref="StreamRoute.WithInlineView{TView}"/> reads it.</summary>
public sealed record InlineView(Type ViewType, Action<IDocumentSession> UseIdentityMap, Func<IBatchedQuery, Guid, Task> Load)
{
    public static InlineView Of<TView>() where TView : class =>
        new(typeof(TView), session => session.UseIdentityMapFor<TView>(), (batch, id) => batch.Load<TView>(id));
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
/// type, is the module's 404; an archived stream its 409. The states are read in the same round trip
/// as the write model; a mistyped id is never answered with a misleading 409 by the
/// optimistic-concurrency check, whatever version the caller sent (<see cref="StreamMustExist.ProblemBehind"/>). Modules declare their streams (<see cref="AddStreamRoute"/>);
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
        opts.Policies.Add(new WrittenStreamsPolicy(routes));
        var http = services.GetRequiredService<IHttpContextAccessor>();
        var otherwise = opts.ConflictProblemDetailsFactory;
        opts.ConflictProblemDetailsFactory = conflict =>
            StreamMustExist.ProblemBehind(http.HttpContext) ?? otherwise?.Invoke(conflict) ?? ConflictMapping.ToProblemDetails(conflict);
    }
}

/// <summary>
/// The middleware of <see cref="StreamPolicy"/>. It reads the state of each stream the route names in
/// the same round trip as the write model and whatever else the endpoint loads (Wolverine batches
/// every Marten query plan of a request with its <c>FetchForWriting</c>; this plan comes first), and
/// checks it before the endpoint's own <c>Validate</c> and decision run.
/// </summary>
public static class StreamMustExist
{
    public static bool AppliesTo(HttpChain chain, StreamRoutes routes) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.RoutePattern?.Parameters.Any(p => routes.All.Any(r => r.Parameter == p.Name)) == true;

    public static NamedStreams Load(HttpContext context, StreamRoutes routes, IDocumentSession session)
    {
        var written = context.GetEndpoint()?.Metadata.GetMetadata<WrittenStreams>();
        var named = new List<NamedStreamRead>();
        foreach (var route in routes.All)
        {
            // An id that is no Guid is left to Wolverine's route binding, which answers it as before.
            if (!context.Request.RouteValues.TryGetValue(route.Parameter, out var value) || !Guid.TryParse(value as string, out var id)) continue;
            var views = written?.Routes.Contains(route) == true ? route.InlineViews : [];
            foreach (var view in views) view.UseIdentityMap(session);
            named.Add(new NamedStreamRead(route, id, views));
        }

        var streams = new NamedStreams(named);
        context.Features.Set(streams);
        return streams;
    }

    public static ProblemDetails Before(NamedStreamStates states) => states.FirstProblem() ?? WolverineContinue.NoProblems;

    /// <summary>
    /// The answer to a version that does not match, when the stream is unknown, of another type or
    /// archived: the module's 404 or 409 rather than the optimistic-concurrency 409. The write model's
    /// fetch checks the version inside the batch and throws before <see cref="Before"/> runs, so the
    /// states read earlier in the same batch decide here. Null for any other conflict.
    /// </summary>
    public static ProblemDetails? ProblemBehind(HttpContext? context) =>
        context?.Features.Get<NamedStreams>()?.ReadSoFar()?.FirstProblem();
}

/// <summary>The streams a write route names, read as one Marten query plan (batched with the request's other reads).</summary>
public sealed class NamedStreams(IReadOnlyList<NamedStreamRead> streams) : IBatchQueryPlan<NamedStreamStates>, IQueryPlan<NamedStreamStates>
{
    private List<Task<StreamState>>? _reads;

    public Task<NamedStreamStates> Fetch(IBatchedQuery query)
    {
        _reads = streams.Select(s => query.Events.FetchStreamState(s.Id)).ToList();
        // Read for Marten's inline projections (into the identity map), not for this plan's answer.
        foreach (var stream in streams)
        {
            foreach (var view in stream.Views) _ = view.Load(query, stream.Id);
        }

        return Collect(_reads);
    }

    public async Task<NamedStreamStates> Fetch(IQuerySession session, CancellationToken token)
    {
        var states = new StreamState?[streams.Count];
        for (var i = 0; i < streams.Count; i++) states[i] = await session.Events.FetchStreamStateAsync(streams[i].Id, token);
        _reads = states.Select(state => Task.FromResult(state!)).ToList();
        return new NamedStreamStates(streams, states);
    }

    /// <summary>
    /// The states, when every one has been read (a batch read them before a later item of the same
    /// batch threw), else null. Read from the batch's own results: a continuation may not have run yet.
    /// </summary>
    public NamedStreamStates? ReadSoFar() =>
        _reads is { } reads && reads.All(r => r.IsCompletedSuccessfully)
            ? new NamedStreamStates(streams, reads.Select(r => (StreamState?)r.Result).ToList())
            : null;

    private async Task<NamedStreamStates> Collect(List<Task<StreamState>> reads)
    {
        var states = new StreamState?[reads.Count];
        for (var i = 0; i < reads.Count; i++) states[i] = await reads[i];
        return new NamedStreamStates(streams, states);
    }
}

/// <summary>The state of each stream a write route names (null: no such stream).</summary>
public sealed class NamedStreamStates(IReadOnlyList<NamedStreamRead> streams, IReadOnlyList<StreamState?> states)
{
    /// <summary>The problem of the first stream that cannot take the write, or null.</summary>
    public ProblemDetails? FirstProblem()
    {
        for (var i = 0; i < streams.Count; i++)
        {
            if (streams[i].Route.Check(streams[i].Id, states[i]) is { } problem) return problem;
        }

        return null;
    }
}

/// <summary>A stream a write route names, and the inline views to read with it (when the route writes to it).</summary>
public sealed record NamedStreamRead(StreamRoute Route, Guid Id, IReadOnlyList<InlineView> Views);

/// <summary>The declared streams an endpoint writes to (a <c>[WriteModel]</c> of the stream's type): endpoint metadata.</summary>
public sealed record WrittenStreams(IReadOnlyList<StreamRoute> Routes);

/// <summary>Marks each write route with the declared streams it writes to, for <see cref="StreamMustExist.Load"/>.</summary>
internal sealed class WrittenStreamsPolicy(StreamRoutes routes) : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => StreamMustExist.AppliesTo(c, routes)))
        {
            var models = chain.Method.Method.GetParameters()
                .Where(p => p.GetCustomAttributes(typeof(WriteModelAttribute), inherit: true).Length > 0)
                .Select(p => p.ParameterType)
                .ToHashSet();
            var written = routes.All.Where(r => models.Contains(r.StreamType) && r.InlineViews.Count > 0).ToList();
            if (written.Count > 0) chain.WithMetadata(new WrittenStreams(written));
        }
    }
}
