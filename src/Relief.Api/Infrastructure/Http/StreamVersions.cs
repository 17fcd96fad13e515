using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using JasperFx.Core.Reflection;
using JasperFx.Events;
using Marten;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// A write's response that answers the version it left one or more streams at. The endpoint
/// builds the response without it (a decision does not know the store); <see cref="StreamVersionPolicy"/>
/// fills it in from the streams themselves once the events are appended.
/// </summary>
/// <typeparam name="TSelf">The response itself.</typeparam>
public interface IStreamVersioned<out TSelf> where TSelf : IStreamVersioned<TSelf>
{
    /// <summary>This response with each version read from its stream (<see cref="StreamVersions.Of"/>).</summary>
    TSelf WithVersions(StreamVersions streams);
}

/// <summary>The streams a request has appended to, as Marten holds them before the commit.</summary>
public sealed class StreamVersions(IDocumentSession session)
{
    private Dictionary<Guid, StreamAction>? _streams;

    /// <summary>
    /// The version stream <paramref name="streamId"/> is at once this request's events are committed.
    /// A stream started in the request is at its event count; any other stream at the version it was
    /// fetched (or appended) at plus the events appended since, which the commit checks: if another
    /// writer got there first the request is a 409 and the version is never answered.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request did not write to the stream, or appended to it without an expected version.</exception>
    public int Of(Guid streamId)
    {
        _streams ??= session.PendingChanges.Streams().ToDictionary(s => s.Id);
        if (!_streams.TryGetValue(streamId, out var stream))
            throw new InvalidOperationException($"The request answers the version of stream {streamId} but did not write to it.");
        var version = stream.ActionType == StreamActionType.Start
            ? stream.Events.Count
            : stream.ExpectedVersionOnServer is { } expected
                ? expected + stream.Events.Count
                : throw new InvalidOperationException(
                    $"Stream {streamId} was appended to without an expected version, so its version is not known before the commit.");
        return checked((int)version);
    }

    /// <summary>What the frame of <see cref="StreamVersionPolicy"/> calls.</summary>
    public static T Stamp<T>(T response, IDocumentSession session) where T : IStreamVersioned<T> =>
        response.WithVersions(new StreamVersions(session));
}

/// <summary>
/// Versions in responses come from the streams, never from arithmetic in the endpoint: for every
/// endpoint whose response is <see cref="IStreamVersioned{TSelf}"/>, the response is given its
/// versions after the endpoint's events and Marten operations are appended and before the commit
/// and the response body are written.
/// </summary>
public sealed class StreamVersionPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => !c.NoContent && c.ResourceType.Closes(typeof(IStreamVersioned<>))))
        {
            // First among the postprocessors: after the frames that append what the endpoint returned,
            // before Marten's commit and the frame that writes the response.
            chain.Postprocessors.Insert(0, new StampStreamVersionsFrame(chain.Method.Creates.First()));
        }
    }
}

/// <summary><c>response = StreamVersions.Stamp(response, session);</c></summary>
internal sealed class StampStreamVersionsFrame(Variable response) : SyncFrame
{
    private Variable? _session;

    public override IEnumerable<Variable> FindVariables(IMethodVariables chain)
    {
        yield return response;
        _session = chain.FindVariable(typeof(IDocumentSession));
        yield return _session;
    }

    public override void GenerateCode(GeneratedMethod method, ISourceWriter writer)
    {
        writer.WriteComment("The versions the response answers, read from the streams this request wrote to");
        writer.Write($"{response.Usage} = {typeof(StreamVersions).FullNameInCode()}.{nameof(StreamVersions.Stamp)}({response.Usage}, {_session!.Usage});");
        Next?.GenerateCode(method, writer);
    }
}
