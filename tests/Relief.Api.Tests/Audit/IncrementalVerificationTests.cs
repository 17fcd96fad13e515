using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Relief.Api.Tests.Audit;

/// <summary>A verification resumes where the last one found the chain intact; <c>full=true</c> starts from the genesis.</summary>
public class IncrementalVerificationTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<long> SequenceOf(Guid streamId, int version) =>
        (long)(await Api.Sql("select seq_id from relief.mt_events where stream_id = $1 and version = $2", streamId, (long)version))!;

    private async Task Tamper(long sequence) =>
        await Api.Sql("update relief.mt_events set data = jsonb_set(data, '{village}', '\"西关村\"') where seq_id = $1", sequence);

    private static (bool Valid, long CheckedFrom, long Checked, bool Full) Counts(JsonElement verified) =>
        (verified.GetProperty("valid").GetBoolean(), verified.GetProperty("checkedFrom").GetInt64(),
            verified.GetProperty("checked").GetInt64(), verified.GetProperty("full").GetBoolean());

    [Fact]
    public async Task A_verification_after_an_earlier_one_hashes_only_the_entries_recorded_since()
    {
        await Api.RegisteredHousehold();
        await Api.AuditChainCaughtUp();
        var first = await Api.Audit("/api/audit/verify");
        Assert.Equal((true, 0L, 2L, true), Counts(first));
        var verifiedUpTo = first.GetProperty("lastChainedSequence").GetInt64();

        await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("李四")));
        await Api.AuditChainCaughtUp();
        var second = await Api.Audit("/api/audit/verify");
        Assert.Equal((true, verifiedUpTo, 2L, false), Counts(second));

        var nothingNew = await Api.Audit("/api/audit/verify");
        Assert.Equal((true, second.GetProperty("lastChainedSequence").GetInt64(), 0L, false), Counts(nothingNew));

        var full = await Api.Audit("/api/audit/verify?full=true");
        Assert.Equal((true, 0L, 4L, true), Counts(full));
        Assert.Equal(full.GetProperty("finalHash").GetString(), second.GetProperty("finalHash").GetString());
    }

    [Fact]
    public async Task An_entry_altered_after_the_verified_position_is_found_by_the_next_verification()
    {
        await Api.RegisteredHousehold();
        await Api.AuditChainCaughtUp();
        var verifiedUpTo = (await Api.Audit("/api/audit/verify")).GetProperty("lastChainedSequence").GetInt64();
        var later = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("李四")));
        await Api.AuditChainCaughtUp();

        var altered = await SequenceOf(later, 1);
        Assert.True(altered > verifiedUpTo);
        await Tamper(altered);

        var broken = await Api.Audit("/api/audit/verify");
        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.Equal(altered, broken.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal(verifiedUpTo, broken.GetProperty("checkedFrom").GetInt64());

        // A broken chain is not a position to resume from: the next verification finds it again.
        Assert.Equal(altered, (await Api.Audit("/api/audit/verify")).GetProperty("firstBrokenSequence").GetInt64());
    }

    [Fact]
    public async Task An_entry_altered_before_the_verified_position_is_found_by_a_full_verification()
    {
        var household = await Api.RegisteredHousehold();
        await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("李四")));
        await Api.AuditChainCaughtUp();
        var verified = await Api.Audit("/api/audit/verify");
        var altered = await SequenceOf(household, 1);
        await Tamper(altered);

        // The incremental verification does not read behind its starting point…
        var resumed = await Api.Audit("/api/audit/verify");
        Assert.Equal((true, verified.GetProperty("lastChainedSequence").GetInt64(), 0L, false), Counts(resumed));

        // …the full one does.
        var full = await Api.Audit("/api/audit/verify?full=true");
        Assert.False(full.GetProperty("valid").GetBoolean());
        Assert.Equal(altered, full.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal(0, full.GetProperty("checkedFrom").GetInt64());
    }

    [Fact]
    public async Task The_verified_position_s_own_entry_and_link_are_checked_again()
    {
        var household = await Api.RegisteredHousehold();
        await Api.AuditChainCaughtUp();
        var verifiedUpTo = (await Api.Audit("/api/audit/verify")).GetProperty("lastChainedSequence").GetInt64();
        Assert.Equal(verifiedUpTo, await SequenceOf(household, 2));

        // The entry at the position, altered.
        await Api.Sql("update relief.mt_events set headers = jsonb_set(headers, '{department}', '\"Bank\"') where seq_id = $1", verifiedUpTo);
        var altered = await Api.Audit("/api/audit/verify");
        Assert.False(altered.GetProperty("valid").GetBoolean());
        Assert.Equal(verifiedUpTo, altered.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Contains("altered", altered.GetProperty("problem").GetString());

        // The chain rewritten to match the altered entry (as a rebuild over it would): its link no longer holds the hash verified then.
        await Api.Sql("update relief.audit_chain set hash = $1 where seq_id = $2", new string('a', 64), verifiedUpTo);
        var rewritten = await Api.Audit("/api/audit/verify");
        Assert.Equal(verifiedUpTo, rewritten.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Contains("rewritten", rewritten.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task The_verified_positions_are_append_only_and_full_takes_true_or_false()
    {
        await Api.RegisteredHousehold();
        await Api.AuditChainCaughtUp();
        await Api.Audit("/api/audit/verify");

        var update = await Assert.ThrowsAsync<PostgresException>(() => Api.Sql("update relief.audit_verifications set hash = 'x'"));
        Assert.Contains("append-only", update.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => Api.Sql("delete from relief.audit_verifications"));
        Assert.Equal(1L, Convert.ToInt64(await Api.Sql("select count(*) from relief.audit_verifications"), CultureInfo.InvariantCulture));

        var invalid = await Api.Audit("/api/audit/verify?full=yes", expectedStatus: 400);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("full", out _));
    }
}
