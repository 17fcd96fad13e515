using System.Net;

namespace Relief.Api.Tests.Infrastructure;

public sealed class AuthorizationTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_configured_key_is_recognised_by_its_hash()
    {
        var id = await Api.RegisteredHousehold();

        var response = await Send(HttpMethod.Get, $"/api/households/{id}", key: Keys.BankSystem);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_department_recording_a_fact_it_does_not_own_is_403_naming_the_owners()
    {
        var response = await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString(), Keys.BankSystem);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:forbidden", problem.GetProperty("type").GetString());
        Assert.Contains("household-registry", problem.GetProperty("detail").GetString());
        Assert.Contains("PovertyAlleviationOffice, Township", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_bearer_token_carries_department_township_and_scopes()
    {
        var token = Tokens.Issue("zhang.wei@mucheng", "Township", "households:read households:write", "mucheng");
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };

        var own = await Send(HttpMethod.Post, "/api/households", Requests.Household("mucheng").ToJsonString(), key: null, headers: headers);
        var other = await Send(HttpMethod.Post, "/api/households", Requests.Household("sanyang").ToJsonString(), key: null, headers: headers);

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        await using var session = Store.QuerySession();
        var events = await session.Events.FetchStreamAsync((await Json(own)).GetProperty("id").GetGuid());
        Assert.Equal("zhang.wei@mucheng", events[0].UserName);
        Assert.Equal("bearer", events[0].Headers!["credential"]!.ToString());
    }

    [Fact]
    public async Task A_token_signed_with_another_key_or_expired_is_401()
    {
        var forged = Tokens.Issue("x", "PovertyAlleviationOffice", "admin", signingKey: "another-signing-key-of-at-least-32-bytes!");
        var expired = Tokens.Issue("x", "PovertyAlleviationOffice", "admin", expires: DateTime.UtcNow.AddMinutes(-10));

        foreach (var token in new[] { forged, expired })
        {
            var response = await Send(HttpMethod.Get, $"/api/households/{Guid.CreateVersion7()}", key: null,
                headers: new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
