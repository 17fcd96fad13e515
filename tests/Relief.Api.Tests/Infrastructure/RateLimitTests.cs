using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Infrastructure.Http;

namespace Relief.Api.Tests.Infrastructure;

public sealed class RateLimitTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_caller_over_its_limit_is_429_with_Retry_After_before_authorization_and_nobody_else_is()
    {
        // The throttled key may make 3 requests in the run's window (AppFixture); this test spends them.
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/api/households", key: Keys.Throttled)).StatusCode);

        var refused = await Send(HttpMethod.Get, "/api/households", key: Keys.Throttled);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        var problem = await Json(refused);
        Assert.Equal("urn:relief:problem:too-many-requests", problem.GetProperty("type").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("correlationId", out _));

        // Counted before authorization: a write the key may not make is 429 too, not 403, and writes nothing.
        var write = await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString(), Keys.Throttled);
        Assert.Equal(HttpStatusCode.TooManyRequests, write.StatusCode);
        Assert.Equal(0, Convert.ToInt64(await Api.Sql("select count(*) from relief.mt_events"), CultureInfo.InvariantCulture));

        // The health checks are never limited; other callers have limits of their own.
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/health/live", key: Keys.Throttled)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/api/households", key: Keys.BankSystem)).StatusCode);
    }

    [Fact]
    public void A_caller_is_counted_by_its_credential_and_an_anonymous_request_by_its_address()
    {
        static HttpContext Request(params Claim[] claims)
        {
            var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("127.0.0.7") } };
            if (claims.Length > 0) context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
            return context;
        }

        Assert.Equal(("address:127.0.0.7", null), RateLimitSetup.PartitionOf(Request()));
        Assert.Equal(("caller:api-key::bank-system", "bank-system"),
            RateLimitSetup.PartitionOf(Request(new Claim("sub", "bank-system"), new Claim("credential", "api-key"))));
        Assert.Equal(("caller:token:410822:bank-system", "bank-system"),
            RateLimitSetup.PartitionOf(Request(new Claim("sub", "bank-system"), new Claim("county", "410822"))));
    }

    [Theory]
    [InlineData("PermitLimit", "0")]
    [InlineData("Window", "00:00:00")]
    [InlineData("QueueLimit", "-1")]
    [InlineData("ExpensiveReads:PermitLimit", "0")]
    [InlineData("ExpensiveReads:RetryAfter", "00:00:00")]
    public void A_limit_that_cannot_work_stops_the_start(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{RateLimitOptions.Section}:{key}"] = value }).Build();
        var services = new ServiceCollection();

        var refused = Assert.Throws<InvalidOperationException>(() => { services.AddReliefRateLimits(configuration); });
        Assert.StartsWith(RateLimitOptions.Section, refused.Message);
    }
}
