using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Notifications.Deliveries;
using Wolverine;

namespace Relief.Api.Tests.Notifications;

/// <summary>
/// `projections rebuild` rewinds the webhook fan-out with the projections: the same events reach it
/// again. Driven here directly, with the stored events and a recording message bus (rewinding the
/// subscription inside the test host stalled its agent).
/// </summary>
public sealed class WebhookFanOutReplayTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Events_fanned_out_already_are_not_sent_again_when_the_fan_out_sees_them_twice()
    {
        await Api.WebhookSubscription(Api.SinkWebhookUrl, Keys.PovertyOffice, "HouseholdRegistered");
        await Api.RegisteredHousehold();
        var fanOut = new WebhookFanOut(TimeProvider.System);

        var first = await FanOut(fanOut);
        var replay = await FanOut(fanOut);

        Assert.Single(first);
        Assert.Empty(replay);
        await using var session = Store.QuerySession();
        Assert.Equal(1, await session.Query<WebhookDelivery>().CountAsync());
    }

    /// <summary>Runs the fan-out over every stored event in one page, commits, and answers what it published.</summary>
    private async Task<IReadOnlyList<object>> FanOut(WebhookFanOut fanOut)
    {
        await using var session = Store.LightweightSession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        var bus = new TestMessageContext();
        await fanOut.FanOutAsync(events, session, bus, CancellationToken.None);
        await session.SaveChangesAsync();
        return bus.Published.ToList();
    }
}
