using System.Net;

namespace Relief.Api.Tests.Infrastructure;

public sealed class AuthenticationTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task No_credentials_is_a_401_problem()
    {
        var response = await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString(), key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:unauthenticated", problem.GetProperty("type").GetString());
        Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_unknown_key_is_a_401()
    {
        var response = await Send(HttpMethod.Get, $"/api/households/{Guid.CreateVersion7()}", key: "not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_key_without_the_routes_scope_is_a_403_naming_the_scope()
    {
        var response = await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString(), Keys.Reports);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:forbidden", problem.GetProperty("type").GetString());
        Assert.Contains("households:write", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_need_no_credentials()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/health/live", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/health/ready", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/swagger/v1/swagger.json", key: null)).StatusCode);
    }

    [Fact]
    public async Task Ready_reports_postgresql_and_the_daemon()
    {
        var health = await Json(await Send(HttpMethod.Get, "/health/ready", key: null));

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Contains(health.GetProperty("checks").EnumerateObject(), c => c.Name.Contains("Daemon", StringComparison.OrdinalIgnoreCase));
    }
}
