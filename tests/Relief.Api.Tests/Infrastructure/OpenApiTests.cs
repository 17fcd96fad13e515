using System.Text.Json;
using Snapshooter.Xunit;

namespace Relief.Api.Tests.Infrastructure;

public sealed class OpenApiTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<JsonElement> Document() =>
        await Json(await Send(HttpMethod.Get, "/swagger/v1/swagger.json", key: null));

    /// <summary>
    /// Pins the whole published contract: any change to a route, a schema or a header shows up as a
    /// snapshot diff to review (the snapshot file is committed under __snapshots__).
    /// </summary>
    [Fact]
    public async Task The_OpenAPI_document_matches_the_approved_snapshot()
    {
        var document = await Send(HttpMethod.Get, "/swagger/v1/swagger.json", key: null);

        Snapshot.Match(await document.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task It_shows_both_security_schemes_and_requires_one_on_every_api_route()
    {
        var document = await Document();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        foreach (var operation in Operations(document))
        {
            Assert.Equal(2, operation.Value.GetProperty("security").GetArrayLength());
        }
    }

    [Fact]
    public async Task Every_write_documents_the_Idempotency_Key_and_its_problem_answers()
    {
        var document = await Document();

        var writes = Operations(document).Where(o => o.Method != "get").ToList();
        Assert.NotEmpty(writes);
        foreach (var (_, _, operation) in writes)
        {
            var headers = operation.GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("in").GetString() == "header")
                .Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Contains("Idempotency-Key", headers);
            Assert.Contains("X-Operator", headers);
            Assert.Contains("X-External-Ref", headers);
            var responses = operation.GetProperty("responses");
            foreach (var status in new[] { "400", "401", "403", "409", "413", "415", "422" })
            {
                Assert.True(responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _),
                    $"{status} is documented as problem details");
            }
        }
    }

    private static IEnumerable<(string Path, string Method, JsonElement Value)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));
}
