using System.Text.Json;

namespace Relief.Core.Audit;

/// <summary>
/// The NDJSON audit export: one line per event, in sequence order, then one manifest line.
/// <code>
/// {"sequence":…,"id":…,"streamId":…,"version":…,"type":…,"timestamp":…,"tenantId":…,"data":{…},
///  "metadata":{"correlationId":…,"causationId":…,"userName":…,"headers":{…}},"previousHash":…,"hash":…}
/// {"manifest":{"scope":…,"contiguous":true,"count":…,"firstSequence":…,"lastSequence":…,"finalHash":…}}
/// </code>
/// Each line carries the chain hash of the event before it, so every line can be checked on its
/// own; a contiguous export (every event from the first) can also be checked as one chain.
/// </summary>
public static class AuditExport
{
    /// <summary>Writes one event line (without the newline).</summary>
    public static void WriteEvent(Utf8JsonWriter writer, ChainedEvent e, string previousHash, string hash)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", e.Sequence);
        writer.WriteString("id", e.Id);
        writer.WriteString("streamId", e.StreamId);
        writer.WriteNumber("version", e.Version);
        writer.WriteString("type", e.Type);
        writer.WriteString("timestamp", e.Timestamp);
        writer.WriteString("tenantId", e.TenantId);
        writer.WritePropertyName("data");
        writer.WriteRawValue(e.Data, skipInputValidation: true);
        writer.WriteStartObject("metadata");
        writer.WriteString("correlationId", e.CorrelationId);
        writer.WriteString("causationId", e.CausationId);
        writer.WriteString("userName", e.UserName);
        writer.WritePropertyName("headers");
        if (e.Headers is null) writer.WriteNullValue();
        else writer.WriteRawValue(e.Headers, skipInputValidation: true);
        writer.WriteEndObject();
        writer.WriteString("previousHash", previousHash);
        writer.WriteString("hash", hash);
        writer.WriteEndObject();
    }

    /// <summary>Writes the manifest line (without the newline).</summary>
    public static void WriteManifest(Utf8JsonWriter writer, ExportManifest manifest)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("manifest");
        writer.WriteString("scope", manifest.Scope);
        writer.WriteBoolean("contiguous", manifest.Contiguous);
        writer.WriteNumber("count", manifest.Count);
        if (manifest.FirstSequence is { } first) writer.WriteNumber("firstSequence", first);
        else writer.WriteNull("firstSequence");
        if (manifest.LastSequence is { } last) writer.WriteNumber("lastSequence", last);
        else writer.WriteNull("lastSequence");
        writer.WriteString("finalHash", manifest.FinalHash);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Checks an export file line by line, without a database: each event's hash against its
    /// canonical form and previous hash; when the manifest says the export is contiguous, that each
    /// previousHash is the hash of the line before (the first: the genesis); and the manifest against
    /// the events. One pass, one line in memory at a time.
    /// </summary>
    public static ExportCheck Verify(TextReader reader)
    {
        long count = 0;
        long? lastSequence = null;
        string? lastHash = null;
        (long Sequence, string Why)? hashBreak = null, continuityBreak = null;
        ExportManifest? manifest = null;
        var expectedPrevious = HashChain.Genesis;

        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("manifest", out var m))
            {
                manifest = new ExportManifest(m.GetProperty("scope").GetString() ?? "",
                    m.GetProperty("contiguous").GetBoolean(), m.GetProperty("count").GetInt64(),
                    m.GetProperty("firstSequence").ValueKind == JsonValueKind.Number ? m.GetProperty("firstSequence").GetInt64() : null,
                    m.GetProperty("lastSequence").ValueKind == JsonValueKind.Number ? m.GetProperty("lastSequence").GetInt64() : null,
                    m.GetProperty("finalHash").GetString() ?? "");
                continue;
            }

            var e = Read(root);
            if (manifest is not null) hashBreak ??= (e.Sequence, "an event follows the manifest");
            var previous = root.GetProperty("previousHash").GetString() ?? "";
            var hash = root.GetProperty("hash").GetString() ?? "";
            count++;
            if (lastSequence is { } before && e.Sequence <= before) hashBreak ??= (e.Sequence, "sequences are not ascending");
            if (previous.Length != 64 || HashChain.Next(previous, e) != hash) hashBreak ??= (e.Sequence, "the hash does not match the event");
            if (previous != expectedPrevious) continuityBreak ??= (e.Sequence, "previousHash is not the hash of the line before");
            expectedPrevious = hash;
            lastSequence = e.Sequence;
            lastHash = hash;
        }

        if (manifest is null) return new ExportCheck(false, hashBreak?.Sequence, count, lastHash, "the manifest line is missing");

        var broken = hashBreak;
        if (manifest.Contiguous && continuityBreak is { } gap && (broken is null || gap.Sequence < broken.Value.Sequence)) broken = gap;
        if (broken is { } b) return new ExportCheck(false, b.Sequence, count, lastHash, b.Why);

        if (manifest.Count != count || manifest.LastSequence != lastSequence || manifest.FinalHash != (lastHash ?? HashChain.Genesis))
            return new ExportCheck(false, null, count, lastHash, "the manifest does not match the events");

        return new ExportCheck(true, null, count, lastHash, null);
    }

    /// <summary>The event of an export line, as the chain covers it.</summary>
    public static ChainedEvent Read(JsonElement line)
    {
        var metadata = line.GetProperty("metadata");
        string? Text(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var headers = metadata.TryGetProperty("headers", out var h) && h.ValueKind != JsonValueKind.Null ? h.GetRawText() : null;
        return new ChainedEvent(line.GetProperty("sequence").GetInt64(), line.GetProperty("id").GetGuid(),
            Text(line, "streamId") ?? "", line.GetProperty("version").GetInt64(), Text(line, "type") ?? "",
            Text(line, "timestamp") ?? "", Text(line, "tenantId") ?? "", line.GetProperty("data").GetRawText(),
            Text(metadata, "correlationId"), Text(metadata, "causationId"), Text(metadata, "userName"), headers);
    }
}

/// <summary>What an export holds: <c>Contiguous</c> when it is every event from the first one.</summary>
public sealed record ExportManifest(string Scope, bool Contiguous, long Count, long? FirstSequence, long? LastSequence, string FinalHash);

/// <summary>The outcome of checking an export file.</summary>
public sealed record ExportCheck(bool Valid, long? FirstBrokenSequence, long Checked, string? FinalHash, string? Problem);
