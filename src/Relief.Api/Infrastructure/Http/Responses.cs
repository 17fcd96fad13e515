using Wolverine.Http;

namespace Relief.Api.Infrastructure.Http;

/// <summary>What a write that created a stream answers (201): its id, its version and where to read it.</summary>
public sealed record Created(Guid Id, string Url) : CreationResponse(Url), IStreamVersioned<Created>
{
    public int Version { get; init; }

    public Created WithVersions(StreamVersions streams) => this with { Version = streams.Of(Id) };
}
