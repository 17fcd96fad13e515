using System.Net;
using JasperFx.Events;

namespace Relief.Api.Tests.Infrastructure;

public sealed class CorrelationAndProvenanceTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Every_event_carries_who_recorded_it_from_which_system_and_why()
    {
        var response = await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString(), Keys.Mucheng,
            headers: new Dictionary<string, string>
            {
                ["X-Correlation-Id"] = "weekly-upload-42",
                ["X-Operator"] = "王会计",
                ["X-External-Ref"] = "MC-2020-0017",
                ["X-Causation-Id"] = "batch-7",
            });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("weekly-upload-42", response.Headers.GetValues("X-Correlation-Id").Single());
        var id = (await Json(response)).GetProperty("id").GetGuid();

        await using var session = Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id);

        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("weekly-upload-42", e.CorrelationId);
            Assert.Equal("batch-7", e.CausationId);
            Assert.Equal("dev-township-mucheng", e.UserName);
            Assert.Equal("Township", Header(e, "department"));
            Assert.Equal("dev-township-mucheng", Header(e, "caller"));
            Assert.Equal("王会计", Header(e, "operator"));
            Assert.Equal("MC-2020-0017", Header(e, "externalRef"));
            Assert.Equal("mucheng", Header(e, "township"));
            Assert.Equal("api-key", Header(e, "credential"));
        });
    }

    [Fact]
    public async Task A_request_without_a_correlation_id_gets_one_from_its_traceparent()
    {
        var response = await Send(HttpMethod.Get, "/health/live", key: null, headers: new Dictionary<string, string>
        {
            ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        });

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", response.Headers.GetValues("X-Correlation-Id").Single());
    }

    private static string? Header(IEvent e, string name) => e.Headers?.TryGetValue(name, out var value) == true ? value?.ToString() : null;
}
