using System.Text;
using System.Text.Json;
using Relief.Core.Audit;

namespace Relief.Core.Tests.Audit;

public class HashChainTests
{
    private static ChainedEvent Event(long sequence, string data = """{"householdId":"a","amount":300.00}""") =>
        new(sequence, Guid.Parse("01a223f2-e22f-7019-bd58-6d4c0f702936"), "01a223f2-e22f-7019-bd58-6d4c0f702937", sequence,
            "household_registered", "2020-10-01T02:00:00.123456Z", "*DEFAULT*", data, "corr", "cause", "dev-poverty-office",
            """{"department":"PovertyAlleviationOffice","caller":"dev-poverty-office"}""");

    [Fact]
    public void Canonical_json_sorts_members_keeps_numbers_as_written_and_escapes_only_what_json_requires()
    {
        Assert.Equal("""{"a":[1,{"x":null,"y":true}],"b":300.00,"c":"王\"\\\u0001"}""",
            CanonicalJson.Of("""{ "c": "王\"\\\u0001", "b": 300.00, "a": [1, {"y": true, "x": null}] }"""));
    }

    [Fact]
    public void Key_order_and_spacing_of_the_stored_json_do_not_change_the_hash()
    {
        var a = HashChain.Next(HashChain.Genesis, Event(1, """{"householdId":"a","amount":300.00}"""));
        var b = HashChain.Next(HashChain.Genesis, Event(1, """{ "amount": 300.00, "householdId": "a" }"""));
        Assert.Equal(a, b);
        Assert.Equal(64, a.Length);
    }

    [Fact]
    public void Any_change_of_data_metadata_or_previous_hash_changes_the_hash()
    {
        var original = Event(1);
        var hash = HashChain.Next(HashChain.Genesis, original);
        Assert.NotEqual(hash, HashChain.Next(HashChain.Genesis, original with { Data = """{"householdId":"b","amount":300.00}""" }));
        Assert.NotEqual(hash, HashChain.Next(HashChain.Genesis, original with { Data = """{"householdId":"a","amount":300}""" }));
        Assert.NotEqual(hash, HashChain.Next(HashChain.Genesis, original with { UserName = "someone-else" }));
        Assert.NotEqual(hash, HashChain.Next(HashChain.Genesis, original with { Headers = """{"department":"Bank"}""" }));
        Assert.NotEqual(hash, HashChain.Next(HashChain.Genesis, original with { Timestamp = "2020-10-01T02:00:00.123457Z" }));
        Assert.NotEqual(hash, HashChain.Next(hash, original));
    }

    [Fact]
    public void The_hash_is_sha256_of_the_previous_hash_bytes_then_the_canonical_utf8()
    {
        var e = Event(1);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            [.. new byte[32], .. Encoding.UTF8.GetBytes(HashChain.Canonical(e))]));
        Assert.Equal(expected, HashChain.Next(HashChain.Genesis, e));
    }

    [Fact]
    public void Timestamps_are_written_in_utc_with_microseconds()
    {
        Assert.Equal("2020-10-01T02:00:00.123456Z",
            ChainedEvent.FormatTimestamp(new DateTimeOffset(2020, 10, 1, 10, 0, 0, TimeSpan.FromHours(8)).AddTicks(1234560)));
    }

    private static string Export(IEnumerable<ChainedEvent> events, bool contiguous, Func<int, string, string>? alter = null)
    {
        var lines = new List<string>();
        var previous = HashChain.Genesis;
        long count = 0;
        long? last = null;
        foreach (var e in events)
        {
            var hash = HashChain.Next(previous, e);
            lines.Add(Line(w => AuditExport.WriteEvent(w, e, previous, hash)));
            previous = hash;
            count++;
            last = e.Sequence;
        }

        lines.Add(Line(w => AuditExport.WriteManifest(w, new ExportManifest("all", contiguous, count, 1, last, previous))));
        return string.Join('\n', lines.Select((l, i) => alter?.Invoke(i, l) ?? l)) + "\n";
    }

    private static string Line(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) write(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void An_export_verifies_offline_and_an_altered_line_fails_at_its_sequence()
    {
        var events = Enumerable.Range(1, 5).Select(i => Event(i)).ToList();
        var check = AuditExport.Verify(new StringReader(Export(events, contiguous: true)));
        Assert.True(check.Valid, check.Problem);
        Assert.Equal(5, check.Checked);

        var altered = Export(events, contiguous: true, (i, l) => i == 2 ? l.Replace("300.00", "900.00") : l);
        var broken = AuditExport.Verify(new StringReader(altered));
        Assert.False(broken.Valid);
        Assert.Equal(3, broken.FirstBrokenSequence);
    }

    [Fact]
    public void A_line_removed_from_a_contiguous_export_breaks_the_chain_where_it_was()
    {
        var events = Enumerable.Range(1, 5).Select(i => Event(i)).ToList();
        var lines = Export(events, contiguous: true).Split('\n').ToList();
        lines.RemoveAt(1);
        var check = AuditExport.Verify(new StringReader(string.Join('\n', lines)));
        Assert.False(check.Valid);
        Assert.Equal(3, check.FirstBrokenSequence);
    }

    [Fact]
    public void A_missing_manifest_is_not_valid()
    {
        var text = Export([Event(1)], contiguous: true);
        var check = AuditExport.Verify(new StringReader(text.Split('\n')[0]));
        Assert.False(check.Valid);
    }
}
