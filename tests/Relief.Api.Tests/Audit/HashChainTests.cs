using System.Globalization;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Relief.Api.Audit.Chain;

namespace Relief.Api.Tests.Audit;

public class HashChainTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<long> SequenceOf(Guid streamId, int version) =>
        (long)(await Api.Sql("select seq_id from relief.mt_events where stream_id = $1 and version = $2", streamId, (long)version))!;

    [Fact]
    public async Task The_chain_verifies_and_an_event_altered_with_SQL_breaks_it_at_exactly_that_sequence()
    {
        var first = await Api.RegisteredHousehold();
        var second = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("李四")));
        await Api.AuditChainCaughtUp();

        var verified = await Api.Audit("/api/audit/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(4, verified.GetProperty("checked").GetInt64());
        Assert.False(verified.TryGetProperty("firstBrokenSequence", out _));

        var altered = await SequenceOf(first, 1);
        await Api.Sql("update relief.mt_events set data = jsonb_set(data, '{village}', '\"西关村\"') where seq_id = $1", altered);

        // Before the position the first verification found intact: a full verification finds it.
        var broken = await Api.Audit("/api/audit/verify?full=true");
        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.Equal(altered, broken.GetProperty("firstBrokenSequence").GetInt64());
        Assert.NotEqual(second, first);
    }

    [Fact]
    public async Task A_tombstone_stored_without_a_time_is_chained_and_the_chain_goes_on()
    {
        // Marten writes a tombstone, timestamp -infinity, for the sequence numbers of a failed commit
        // (eng/faults made them): the chain once stopped at the first one.
        var household = await Api.RegisteredHousehold();
        var tombstones = Guid.NewGuid();
        await Api.Sql("insert into relief.mt_streams (id, type, version, tenant_id) values ($1, null, 0, '*DEFAULT*')", tombstones);
        await Api.Sql(
            "insert into relief.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) " +
            "select s, $1, $2, s, '{}', 'tombstone', '-infinity', '*DEFAULT*', 'JasperFx.Events.Tombstone, JasperFx.Events', false " +
            "from nextval('relief.mt_events_sequence') s", Guid.NewGuid(), tombstones);
        await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("李四")));
        await Api.AuditChainCaughtUp();

        var verified = await Api.Audit("/api/audit/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(5, verified.GetProperty("checked").GetInt64());
        Assert.Equal(2, (await Api.Audit($"/api/households/{household}/history")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Metadata_is_covered_too_and_a_deleted_event_breaks_the_chain_where_it_was()
    {
        var household = await Api.RegisteredHousehold();
        await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("李四")));
        await Api.AuditChainCaughtUp();

        var relabelled = await SequenceOf(household, 2);
        await Api.Sql("update relief.mt_events set headers = jsonb_set(headers, '{department}', '\"Bank\"') where seq_id = $1", relabelled);
        Assert.Equal(relabelled, (await Api.Audit("/api/audit/verify")).GetProperty("firstBrokenSequence").GetInt64());

        await Api.Sql("update relief.mt_events set headers = jsonb_set(headers, '{department}', '\"PovertyAlleviationOffice\"') where seq_id = $1", relabelled);
        Assert.True((await Api.Audit("/api/audit/verify")).GetProperty("valid").GetBoolean());

        await Api.Sql("delete from relief.mt_events where seq_id = $1", relabelled);
        var broken = await Api.Audit("/api/audit/verify?full=true");
        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.Equal(relabelled, broken.GetProperty("firstBrokenSequence").GetInt64());
    }

    [Fact]
    public async Task A_rebuild_of_the_projection_computes_the_same_chain()
    {
        await Api.RegisteredHousehold();
        await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("李四")));
        await Api.AuditChainCaughtUp();
        var before = await Api.Audit("/api/audit/verify");

        var daemon = Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync(AuditChainProjection.ProjectionName, TimeSpan.FromSeconds(60), CancellationToken.None);
        await Api.AuditChainCaughtUp();

        // The rebuilt chain holds the hash verified before the rebuild, where it was verified…
        var resumed = await Api.Audit("/api/audit/verify");
        Assert.True(resumed.GetProperty("valid").GetBoolean());
        Assert.Equal(before.GetProperty("lastChainedSequence").GetInt64(), resumed.GetProperty("checkedFrom").GetInt64());

        // …and the whole of it again from the genesis.
        var after = await Api.Audit("/api/audit/verify?full=true");
        Assert.True(after.GetProperty("valid").GetBoolean());
        Assert.Equal(before.GetProperty("finalHash").GetString(), after.GetProperty("finalHash").GetString());
        Assert.Equal(before.GetProperty("checked").GetInt64(), after.GetProperty("checked").GetInt64());
    }

    [Fact]
    public async Task The_day_s_anchor_is_its_last_hash_and_the_lead_can_read_it_for_a_date()
    {
        await Api.RegisteredHousehold();
        await Api.AuditChainCaughtUp();
        var verified = await Api.Audit("/api/audit/verify");

        var anchors = await Api.Audit("/api/audit/anchors");
        var anchor = Assert.Single(anchors.EnumerateArray());
        Assert.Equal(verified.GetProperty("finalHash").GetString(), anchor.GetProperty("hash").GetString());
        Assert.Equal(verified.GetProperty("lastChainedSequence").GetInt64(), anchor.GetProperty("lastSequence").GetInt64());

        var day = DateOnly.Parse(anchor.GetProperty("date").GetString()!, CultureInfo.InvariantCulture);
        var dataSource = Host.Services.GetRequiredService<NpgsqlDataSource>();
        Assert.Equal(anchor.GetProperty("hash").GetString(), (await AuditAnchors.ForDate(dataSource, day.AddDays(3), default))!.Hash);
        Assert.Null(await AuditAnchors.ForDate(dataSource, day.AddDays(-1), default));
    }

    [Fact]
    public async Task Audit_routes_need_audit_read()
    {
        await Api.Audit("/api/audit/verify", Keys.Hrss, 403);
        await Api.Audit("/api/audit/anchors", Keys.Reports, 403);
        await Api.Audit("/api/audit/anchors?from=2020-13-01", Keys.Auditor, 400);
    }
}
