using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// The reads whose cost grows with the whole history run a few at a time per county. The test holds
/// every slot itself, through the host's own <see cref="ExpensiveReads"/>, as running requests would.
/// </summary>
public sealed class ExpensiveReadTests(AppFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("/api/audit/verify")]
    [InlineData("/api/audit/export")]
    [InlineData("/api/audit/weekly-dispatch/2020-W40?asKnownAt=2100-01-01T00:00:00Z")]
    public async Task While_every_slot_is_taken_the_next_expensive_read_is_429_and_once_one_is_free_it_runs(string url)
    {
        await Api.RegisteredHousehold();
        var expensiveReads = Host.Services.GetRequiredService<ExpensiveReads>();
        var county = Host.Services.GetRequiredService<Counties>().Default.Code;
        var held = new List<RateLimitLease>();
        try
        {
            for (var i = 0; i < expensiveReads.PermitLimit; i++) held.Add(expensiveReads.TryAcquire(county));
            Assert.All(held, lease => Assert.True(lease.IsAcquired));

            var refused = await Send(HttpMethod.Get, url, key: Keys.Auditor);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(10), refused.Headers.RetryAfter?.Delta);
            var problem = await Json(refused);
            Assert.Equal("urn:relief:problem:too-many-requests", problem.GetProperty("type").GetString());
            Assert.Equal("The county's expensive reads are all in use.", problem.GetProperty("title").GetString());

            // The slots are taken after the route's own checks: a caller without the scope is still 403.
            Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, url, key: Keys.Hrss)).StatusCode);
        }
        finally
        {
            foreach (var lease in held) lease.Dispose();
        }

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, url, key: Keys.Auditor)).StatusCode);
    }
}
