using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.CareCentres;
using Relief.Api.Infrastructure.Persistence;

namespace Relief.Api.Tests.CareCentres;

/// <summary>The care centre's write model is a stored snapshot: it must never drift from its stream.</summary>
public sealed class CareCentreWriteModelTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task After_stays_services_a_correction_and_a_bed_change_the_snapshot_equals_a_replay_of_the_stream()
    {
        var centreId = await Api.CentreWithBeds(3);
        var stayId = await Api.Admitted(centreId, await Api.EligiblePerson(sequence: 1));
        await Api.OnTrial(centreId, await Api.EligiblePerson(sequence: 2));
        foreach (var service in new[] { "Nursing", "MedicalCare" })
        {
            await Api.Send(HttpMethod.Post, $"/api/care-centres/{centreId}/stays/{stayId}/services",
                new JsonObject { ["service"] = service, ["deliveredOn"] = "2020-09-30" });
        }

        var serviceSequence = (long)(await Api.Sql(
            "select max(seq_id) from relief.mt_events where stream_id = $1 and type = 'centre_service_delivered'", centreId))!;
        await Api.Send(HttpMethod.Post, "/api/audit/corrections",
            new JsonObject { ["sequence"] = serviceSequence, ["reason"] = "重复录入" });
        var version = (await Api.Centre(centreId)).GetProperty("version").GetInt32();
        var changed = await Api.Send(HttpMethod.Post, $"/api/care-centres/{centreId}/beds",
            new JsonObject { ["version"] = version, ["beds"] = 4, ["reason"] = "扩建" });

        await using var session = Store.LightweightSession();
        var stream = await session.Events.FetchStreamStateAsync(centreId);
        var stored = await session.LoadAsync<CareCentre>(centreId);
        var replayed = await session.Events.AggregateStreamAsync<CareCentre>(centreId);
        Assert.Equal(stream!.Version, changed.GetProperty("version").GetInt32());
        Assert.Equal(stream.Version, stored!.Version);
        Assert.Equal(Canonical(replayed), Canonical(stored));
        Assert.Equal(4, stored.Beds);
        Assert.Equal(2, stored.Occupied);
    }

    [Fact]
    public async Task A_centre_recorded_before_its_write_model_was_stored_gets_one_from_backfill_snapshots_and_takes_writes()
    {
        var centreId = await Api.CentreWithBeds(3);
        await Api.Sql("delete from relief.mt_doc_carecentre where id = $1", centreId);
        var change = new JsonObject { ["version"] = 1, ["beds"] = 4, ["reason"] = "扩建" };
        var before = await Send(HttpMethod.Post, $"/api/care-centres/{centreId}/beds", change.ToJsonString());

        var written = (await Backfill())[typeof(CareCentre)];

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(1, written);
        var after = await Api.Send(HttpMethod.Post, $"/api/care-centres/{centreId}/beds", change);
        Assert.Equal(2, after.GetProperty("version").GetInt32());
        Assert.Equal(0, (await Backfill())[typeof(CareCentre)]);
    }

    /// <summary>What <c>backfill-snapshots</c> runs: every write model a module declared.</summary>
    private Task<IReadOnlyDictionary<Type, int>> Backfill() =>
        Host.Services.GetRequiredService<WriteModelSnapshots>().BackfillAllAsync(CancellationToken.None);
}
