using Marten;
using Relief.Api.Households;

namespace Relief.Api.Tests.Audit;

public class EventEvolutionTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>Appends an event in the old shape with SQL, as an older release of Relief stored it.</summary>
    private async Task<long> AppendLegacyMonitoringEvent(Guid household)
    {
        await Api.Sql("update relief.mt_streams set version = 3 where id = $1", household);
        return (long)(await Api.Sql(
            "insert into relief.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, user_name) " +
            "values (nextval('relief.mt_events_sequence'), gen_random_uuid(), $1, 3, " +
            "jsonb_build_object('householdId', $1::text, 'monitored', true, 'since', '2020-09-20'), " +
            "'household_monitoring_flagged', now(), '*DEFAULT*', 'Relief.Api.Households.HouseholdMonitoringFlagged, Relief.Api', " +
            "'{\"department\": \"PovertyAlleviationOffice\", \"caller\": \"relief-v0\"}'::jsonb, 'relief-v0') returning seq_id",
            household))!;
    }

    [Fact]
    public async Task An_event_stored_in_the_old_shape_loads_as_the_current_event()
    {
        var household = await Api.RegisteredHousehold();
        await AppendLegacyMonitoringEvent(household);

        await using var session = Store.LightweightSession();
        var events = await session.Events.FetchStreamAsync(household);
        var upcast = Assert.IsType<HouseholdMonitoringChanged>(events[^1].Data);
        Assert.Equal(MonitoringStatus.Monitored, upcast.Status);
        Assert.Equal(new DateOnly(2020, 9, 20), upcast.Since);

        // Time travel replays it too, and a write on top of it sees the stream's version and state.
        var then = await Api.Audit($"/api/audit/households/{household}?version=3");
        Assert.Equal("Monitored", then.GetProperty("monitoring").GetString());
        await Api.Send(HttpMethod.Put, $"/api/households/{household}/monitoring",
            new System.Text.Json.Nodes.JsonObject { ["version"] = 3, ["status"] = "RiskEliminated", ["since"] = "2020-09-30" });
    }

    [Fact]
    public async Task The_history_shows_the_old_event_as_stored_and_the_chain_covers_it_unchanged()
    {
        var household = await Api.RegisteredHousehold();
        var sequence = await AppendLegacyMonitoringEvent(household);
        await Api.AuditChainCaughtUp();

        var history = await Api.Audit($"/api/households/{household}/history");
        var legacy = history.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("sequence").GetInt64() == sequence);
        Assert.Equal("HouseholdMonitoringFlagged", legacy.GetProperty("type").GetString());
        Assert.True(legacy.GetProperty("data").GetProperty("monitored").GetBoolean());
        Assert.Equal("2020-09-20", legacy.GetProperty("businessDate").GetString());

        var verified = await Api.Audit("/api/audit/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(sequence, verified.GetProperty("lastChainedSequence").GetInt64());
    }
}
