using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.Extensions.Time.Testing;

namespace Relief.Api.Tests.Support;

/// <summary>
/// The base of every test that goes through the HTTP pipeline: a clean database before each test,
/// raw HTTP for contract edge cases, and the scenario builders in <see cref="Api"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(AppFixture fixture) : IAsyncLifetime
{
    protected AppFixture Fixture { get; } = fixture;
    protected IAlbaHost Host => Fixture.Host;
    protected IDocumentStore Store => Fixture.Store;
    protected FakeTimeProvider Clock => Fixture.Clock;
    protected Api Api => new(Host);

    public Task InitializeAsync() => Fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A raw request: any method, body bytes, content type and headers.</summary>
    protected async Task<HttpResponseMessage> Send(HttpMethod method, string url, string? body = null,
        string? key = Keys.PovertyOffice, string contentType = "application/json",
        IDictionary<string, string>? headers = null)
    {
        using var client = Host.Server.CreateClient();
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (key is not null) request.Headers.Add("X-Api-Key", key);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    protected static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>An object as JSON with every object's members in name order: equal state, equal text.</summary>
    protected static string Canonical(object? value) => Sorted(JsonSerializer.SerializeToNode(value))?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}

/// <summary>The development API keys (see the README).</summary>
public static class Keys
{
    public const string PovertyOffice = "dev-poverty-office";
    public const string Hrss = "dev-hrss";
    public const string Auditor = "dev-auditor";
    public const string Reports = "dev-reports";
    public const string Mucheng = "dev-township-mucheng";
    public const string Sanyang = "dev-township-sanyang";

    /// <summary>The province's roll-up reader (Henan, region 41): every county's figures, no county's records.</summary>
    public const string Henan = "dev-henan";

    /// <summary>The city's roll-up reader (焦作, region 4108).</summary>
    public const string Jiaozuo = "dev-jiaozuo";

    /// <summary>Two banks: one department, two organisations (<c>bank-a</c>, <c>bank-b</c>).</summary>
    public const string BankA = "dev-bank-a";
    public const string BankB = "dev-bank-b";

    /// <summary>Configured in the test host by its hash (see <see cref="AppFixture"/>).</summary>
    public const string BankSystem = "bank-system-3f9a1c";

    /// <summary>Configured in the test host with a limit of 3 requests per window (see <see cref="AppFixture"/>).</summary>
    public const string Throttled = "throttled-system-7d2e4b";
}
