using System.Text.Json;
using JasperFx;
using JasperFx.CommandLine;
using Relief.Api.Infrastructure.Tenancy;
using Relief.Api.Audit.Chain;
using Relief.Api.Infrastructure.Json;
using Relief.Core.Audit;

namespace Relief.Api.Audit;

/// <summary>
/// <c>dotnet run -- audit-verify</c>: recomputes the whole hash chain from the genesis (and records the
/// position it found intact, where the API's next verification resumes) and prints
/// <c>{ "valid", "firstBrokenSequence", "checked", … }</c> (with several counties, one line per county:
/// <c>{ "county", "result" }</c>). Exit code 0 when every chain is valid, 1 when not.
/// </summary>
[Description("Recompute the audit hash chain from the stored events and report the first broken sequence", Name = "audit-verify")]
public sealed class AuditVerifyCommand : JasperFxAsyncCommand<NetCoreInput>
{
    /// <summary>Who a verification from the command line is recorded as.</summary>
    public const string VerifiedBy = "audit-verify (command line)";

    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var counties = host.Services.GetRequiredService<Counties>();
        var valid = true;
        foreach (var county in counties.All)
        {
            // Each county's database holds a chain of its own: one line per county (one line as
            // always when Relief serves one county).
            var result = await ChainVerifier.VerifyAsync(county.DataSource, full: true, VerifiedBy,
                host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None);
            Console.WriteLine(counties.IsMultiCounty
                ? JsonSerializer.Serialize(new { county = county.Code, result }, AuditJson.Options)
                : JsonSerializer.Serialize(result, AuditJson.Options));
            valid &= result.Valid;
        }

        return valid;
    }
}

/// <summary>The input of <c>audit-verify-export</c>: the file to check.</summary>
public sealed class VerifyExportInput
{
    [Description("The NDJSON export file (GET /api/audit/export)")]
    public string File { get; set; } = "";
}

/// <summary>
/// <c>dotnet run -- audit-verify-export export.ndjson</c>: checks an export file offline, with no
/// database: each event's hash, the chain's continuity for a contiguous export, and the manifest.
/// Exit code 0 when valid, 1 when not.
/// </summary>
[Description("Check an NDJSON audit export offline (no database)", Name = "audit-verify-export")]
public sealed class VerifyExportCommand : JasperFxCommand<VerifyExportInput>
{
    public const string Name = "audit-verify-export";

    public override bool Execute(VerifyExportInput input) => Check(input.File);

    /// <summary>
    /// Program.cs runs this before building the host, so that the check needs no configuration,
    /// database or keys: <c>audit-verify-export &lt;file&gt;</c>. Exit code 0 valid, 1 broken, 2 usage.
    /// </summary>
    public static bool IsOffline(string[] args) => args.Length > 0 && args[0] == Name;

    public static int RunOffline(string[] args)
    {
        if (args.Length != 2 || !System.IO.File.Exists(args[1]))
        {
            Console.Error.WriteLine($"usage: {Name} <export.ndjson>");
            return 2;
        }

        return Check(args[1]) ? 0 : 1;
    }

    private static bool Check(string file)
    {
        using var reader = new StreamReader(file);
        var result = AuditExport.Verify(reader);
        Console.WriteLine(JsonSerializer.Serialize(result, AuditJson.Options));
        return result.Valid;
    }
}

/// <summary>The JSON policy of the audit's own output.</summary>
public static class AuditJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        ReliefJson.Configure(options);
        return options;
    }
}
