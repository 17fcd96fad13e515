using JasperFx.Events;
using Marten;
using Wolverine.Marten;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>
/// Appends one event to a stream the endpoint fetched for writing (<c>FetchForWriting</c>), starting it
/// if it is new: the append is checked against the version the fetch read, at commit. For well-known
/// streams of dated rules, whose endpoints load the stream themselves.
/// </summary>
public sealed record AppendToFetched<T>(IEventStream<T> Stream, object Event) : IMartenOp where T : class
{
    public void Execute(IDocumentSession session) => Stream.AppendOne(Event);
}
