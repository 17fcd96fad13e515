using System.Text.Json;
using Relief.Core.Audit;

namespace Relief.Api.Tests.Audit;

public class ExportTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<string> Export(string query = "", string key = Keys.Auditor)
    {
        var response = await Send(HttpMethod.Get, $"/api/audit/export{query}", key: key);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/x-ndjson", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    private static JsonElement Manifest(string export) =>
        JsonDocument.Parse(export.TrimEnd('\n').Split('\n')[^1]).RootElement.GetProperty("manifest");

    [Fact]
    public async Task The_full_export_verifies_offline_and_matches_the_chain_and_an_altered_line_fails_at_its_sequence()
    {
        await Api.RegisteredHousehold();
        await Api.RegisteredHousehold(Requests.Household("sanyang"));
        await Api.AuditChainCaughtUp();
        var verified = await Api.Audit("/api/audit/verify");

        var export = await Export();
        var lines = export.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        var manifest = Manifest(export);
        Assert.Equal(4, manifest.GetProperty("count").GetInt64());
        Assert.True(manifest.GetProperty("contiguous").GetBoolean());
        Assert.Equal(verified.GetProperty("finalHash").GetString(), manifest.GetProperty("finalHash").GetString());
        Assert.Equal(verified.GetProperty("lastChainedSequence").GetInt64(), manifest.GetProperty("lastSequence").GetInt64());

        var first = JsonDocument.Parse(lines[0]).RootElement;
        foreach (var member in new[] { "sequence", "streamId", "type", "data", "metadata", "previousHash", "hash" })
            Assert.True(first.TryGetProperty(member, out _), member);
        Assert.Equal("PovertyAlleviationOffice", first.GetProperty("metadata").GetProperty("headers").GetProperty("department").GetString());

        var check = AuditExport.Verify(new StringReader(export));
        Assert.True(check.Valid, check.Problem);
        Assert.Equal(4, check.Checked);

        var altered = lines[2].Replace("sanyang", "longyuan");
        Assert.NotEqual(lines[2], altered);
        var tampered = string.Join('\n', lines.Select((l, i) => i == 2 ? altered : l));
        var broken = AuditExport.Verify(new StringReader(tampered));
        Assert.False(broken.Valid);
        Assert.Equal(JsonDocument.Parse(lines[2]).RootElement.GetProperty("sequence").GetInt64(), broken.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_household_s_export_holds_its_events_only_and_each_line_verifies_on_its_own()
    {
        var household = await Api.RegisteredHousehold();
        await Api.RegisteredHousehold(Requests.Household("sanyang"));
        await Api.AuditChainCaughtUp();

        var export = await Export($"?householdId={household}");
        var manifest = Manifest(export);
        Assert.Equal(2, manifest.GetProperty("count").GetInt64());
        Assert.False(manifest.GetProperty("contiguous").GetBoolean());
        Assert.All(export.TrimEnd('\n').Split('\n')[..^1],
            l => Assert.Equal(household, JsonDocument.Parse(l).RootElement.GetProperty("streamId").GetGuid()));
        Assert.True(AuditExport.Verify(new StringReader(export)).Valid);

        var range = await Export("?from=2020-01-01&to=2020-12-31");
        Assert.Equal(0, Manifest(range).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task The_offline_command_checks_an_export_file_without_the_host()
    {
        await Api.RegisteredHousehold();
        await Api.AuditChainCaughtUp();
        var file = Path.GetTempFileName();
        try
        {
            var export = await Export();
            await File.WriteAllTextAsync(file, export);
            Assert.True(Relief.Api.Audit.VerifyExportCommand.IsOffline(["audit-verify-export", file]));
            Assert.Equal(0, Relief.Api.Audit.VerifyExportCommand.RunOffline(["audit-verify-export", file]));

            await File.WriteAllTextAsync(file, export.Replace("东关村", "西关村"));
            Assert.Equal(1, Relief.Api.Audit.VerifyExportCommand.RunOffline(["audit-verify-export", file]));
            Assert.Equal(2, Relief.Api.Audit.VerifyExportCommand.RunOffline(["audit-verify-export"]));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_export_needs_audit_read_and_checks_its_filters()
    {
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "/api/audit/export", key: Keys.Hrss)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest,
            (await Send(HttpMethod.Get, "/api/audit/export?householdId=x&from=2020-1-1", key: Keys.Auditor)).StatusCode);
    }
}
