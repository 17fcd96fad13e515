using System.Text.Json.Nodes;
using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Infrastructure.Persistence;

namespace Relief.Api.Tests.Households;

/// <summary>
/// The household write model is a stored snapshot, written with the events. It must never drift
/// from its stream: not in its state, and not in its version, which every write answers and the
/// next write sends back.
/// </summary>
public sealed class HouseholdWriteModelTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task After_every_kind_of_household_event_the_snapshot_equals_a_replay_of_the_stream()
    {
        var id = await Api.RegisteredHousehold();
        var version = 2;

        async Task Write(HttpMethod method, string url, JsonObject body)
        {
            body["version"] = version;
            version = (await Api.Send(method, url, body)).GetProperty("version").GetInt32();
        }

        await Write(HttpMethod.Put, $"/api/households/{id}", Details("西关村二组 3 号"));
        await Write(HttpMethod.Post, $"/api/households/{id}/members",
            new JsonObject { ["member"] = Requests.Member("张小花", Relation.Child, new DateOnly(1980, 5, 1), sequence: 2) });
        var daughter = (await Api.Household(id)).GetProperty("members")[1].GetProperty("memberId").GetGuid();
        await Write(HttpMethod.Put, $"/api/households/{id}/members/{daughter}",
            new JsonObject { ["member"] = Requests.Member("张小华", Relation.Child, new DateOnly(1980, 5, 1), sequence: 2) });
        await Write(HttpMethod.Put, $"/api/households/{id}/monitoring",
            new JsonObject { ["status"] = "Monitored", ["since"] = "2020-09-01" });

        // A correction appends EntryVoided to the household's own stream.
        var changed = (await Api.Audit($"/api/households/{id}/history?type=HouseholdDetailsChanged"))
            .GetProperty("items")[0].GetProperty("sequence").GetInt64();
        version = (await Api.Send(HttpMethod.Post, "/api/audit/corrections",
            new JsonObject { ["sequence"] = changed, ["reason"] = "地址录错" })).GetProperty("version").GetInt32();

        await Write(HttpMethod.Put, $"/api/households/{id}", Details("西关村二组 5 号"));
        await Write(HttpMethod.Post, $"/api/households/{id}/members/{daughter}/removal", new JsonObject { ["reason"] = "出嫁" });

        await using var session = Store.LightweightSession();
        var stream = await session.Events.FetchStreamStateAsync(id);
        var stored = await session.LoadAsync<Household>(id);
        var replayed = await session.Events.AggregateStreamAsync<Household>(id);
        Assert.Equal(9, stream!.Version);
        Assert.Equal(stream.Version, version);
        Assert.Equal(stream.Version, stored!.Version);
        Assert.Equal(Canonical(replayed), Canonical(stored));
        Assert.Equal("Monitored", stored.Monitoring.ToString());
        Assert.Single(stored.Members);
    }

    [Fact]
    public async Task A_household_recorded_before_its_write_model_was_stored_gets_one_from_backfill_snapshots_and_takes_writes()
    {
        var id = await Api.RegisteredHousehold();
        await Api.Sql("delete from relief.mt_doc_household where id = $1", id);
        var change = Details("西关村二组 3 号");
        change["version"] = 2;
        var before = await Send(HttpMethod.Put, $"/api/households/{id}", change.ToJsonString());

        var written = (await Backfill())[typeof(Household)];

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(1, written);
        var after = await Api.Send(HttpMethod.Put, $"/api/households/{id}", change);
        Assert.Equal(3, after.GetProperty("version").GetInt32());
        Assert.Equal(0, (await Backfill())[typeof(Household)]);
    }

    private static JsonObject Details(string address) => new()
    {
        ["village"] = "西关村", ["headName"] = "张三", ["address"] = address, ["povertyCause"] = "Illness",
    };

    /// <summary>What <c>backfill-snapshots</c> runs: every write model a module declared.</summary>
    private Task<IReadOnlyDictionary<Type, int>> Backfill() =>
        Host.Services.GetRequiredService<WriteModelSnapshots>().BackfillAllAsync(CancellationToken.None);
}
