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

    /// <summary>
    /// Every operation has an id a generator can turn into a method name: camelCase letters and
    /// digits, unique in the document (they come from the endpoint classes: see OperationIds).
    /// </summary>
    [Fact]
    public async Task Every_operation_id_is_camelCase_and_unique()
    {
        var document = await Document();

        var ids = AllOperations(document).Select(o => o.Value.GetProperty("operationId").GetString()!).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Matches("^[a-z][A-Za-z0-9]*$", id));
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Contains("registerHousehold", ids);
    }

    /// <summary>Component names are identifiers (no generic arity, no assembly names) and stable.</summary>
    [Fact]
    public async Task Every_schema_name_is_an_identifier()
    {
        var document = await Document();

        var names = document.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();
        Assert.All(names, name => Assert.Matches("^[A-Z][A-Za-z0-9]*$", name));
        Assert.Contains("PageOfHouseholdListItem", names);
    }

    /// <summary>Every error answer of every operation is a problem (RFC 9457) with its schema.</summary>
    [Fact]
    public async Task Every_error_answer_is_a_problem_with_a_schema()
    {
        var document = await Document();

        foreach (var (path, method, operation) in AllOperations(document))
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                Assert.True(response.Value.TryGetProperty("content", out var content)
                            && content.TryGetProperty("application/problem+json", out var problem)
                            && problem.TryGetProperty("schema", out _),
                    $"{method} {path} {response.Name} has a problem-details schema");
            }
        }
    }

    /// <summary>
    /// Every write shows an example request (see IHasExample) and an example answer for each JSON
    /// success; ExampleTests checks that they fit their schemas and pass the API's validation.
    /// </summary>
    [Fact]
    public async Task Every_write_shows_an_example_request_and_answer()
    {
        var document = await Document();

        var writes = Operations(document).Where(o => o.Method != "get").ToList();
        Assert.True(writes.Count >= 60, $"only {writes.Count} writes");
        var missing = new List<string>();
        foreach (var (_, _, operation) in writes)
        {
            var id = operation.GetProperty("operationId").GetString()!;
            if (operation.TryGetProperty("requestBody", out var body)
                && !body.GetProperty("content").EnumerateObject().All(m => m.Value.TryGetProperty("example", out _)))
                missing.Add($"{id} request");
            foreach (var answer in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] == '2'))
            {
                if (!answer.Value.TryGetProperty("content", out var content)) continue;
                missing.AddRange(content.EnumerateObject()
                    .Where(m => m.Name.Contains("json", StringComparison.Ordinal) && !m.Value.TryGetProperty("example", out _))
                    .Select(m => $"{id} {answer.Name} answer"));
            }
        }

        Assert.True(missing.Count == 0, "no example: " + string.Join(", ", missing));
    }

    /// <summary>
    /// Most properties are described: by their own doc comment, or by the field glossary for a name
    /// that recurs (657 of 1,176 when this was written, from 43; the share only grows).
    /// </summary>
    [Fact]
    public async Task Most_properties_are_described()
    {
        var document = await Document();

        var properties = document.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("properties", out _))
            .SelectMany(s => s.Value.GetProperty("properties").EnumerateObject()).ToList();
        var described = properties.Count(p => p.Value.TryGetProperty("description", out var d) && d.GetString()!.Length > 0);
        Assert.True(described * 100 >= properties.Count * 55, $"{described} of {properties.Count} properties described");
    }

    private static IEnumerable<(string Path, string Method, JsonElement Value)> AllOperations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));

    private static IEnumerable<(string Path, string Method, JsonElement Value)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));
}
