using Relief.Api.Infrastructure.OpenApi;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.Http;

/// <summary>What a write that created a stream answers (201): its id, its version and where to read it.</summary>
public sealed record Created(Guid Id, string Url) : CreationResponse(Url), IStreamVersioned<Created>, IHasExample<Created>
{
    public static Created Example { get; } =
        new(Guid.Parse("0191d3a2-7c4e-7000-8000-000000000001"), "/api/households/0191d3a2-7c4e-7000-8000-000000000001") { Version = 2 };

    public int Version { get; init; }

    public Created WithVersions(StreamVersions streams) => this with { Version = streams.Of(Id) };
}
