using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// <c>counties add|list|retire</c>, run as an operator runs it (the built application, a process of
/// its own, in Development, and in Production for the tables nothing else creates there) against a registry of its own: it adds a county with its townships and
/// schema, lists it, refuses to add it twice or retire it twice (exit 1, the reason on standard
/// error, nothing changed), and retires it.
/// </summary>
public sealed class CountiesCommandTests
{
    private static string Main => TestDatabases.Named("command_registry");

    private static string County => TestDatabases.Named("command_410825");

    [Fact]
    public async Task The_counties_command_adds_lists_and_retires_a_county_and_refuses_what_the_route_refuses()
    {
        await TestDatabases.Recreate(Main);
        await TestDatabases.Recreate(County);
        var database = TestDatabases.NameOf(County);

        var added = await Run("counties", "add", "410825", "--name", "温县", "--database", database, "--township", "wenquan=温泉街道");
        Assert.Equal(0, added.ExitCode);
        var county = JsonDocument.Parse(added.Output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal("温县", county.GetProperty("name").GetString());
        Assert.Equal("wenquan", county.GetProperty("townships")[0].GetProperty("code").GetString());
        Assert.Contains("\"温县\"", added.Output, StringComparison.Ordinal);
        Assert.True(await TestDatabases.Scalar<bool>(County,
            "select exists (select 1 from information_schema.tables where table_schema = 'relief' and table_name = 'mt_events')"));

        var twice = await Run("counties", "add", "410825", "--name", "温县", "--database", database);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("County 410825 is in the registry already.", twice.Errors, StringComparison.Ordinal);

        var listed = await Run("counties", "list");
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("\"code\":\"410825\"", listed.Output, StringComparison.Ordinal);

        var retired = await Run("counties", "retire", "410825", "--reason", "并入他县");
        Assert.Equal(0, retired.ExitCode);
        Assert.Contains("\"retiredBecause\":\"并入他县\"", retired.Output, StringComparison.Ordinal);

        var again = await Run("counties", "retire", "410825", "--reason", "again");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("并入他县", await TestDatabases.Scalar<string>(Main, "select retired_because from relief.county_registry where code = '410825'"));
    }

    /// <summary>
    /// In Production nothing creates tables as first used (<c>AutoCreate.None</c>), so adding a county
    /// must create its Wolverine tables too: without them its scheduled messages (deadline checks,
    /// webhook retries) could not be stored. Development creates them anyway, so only Production shows it.
    /// </summary>
    [Fact]
    public async Task In_production_adding_a_county_creates_its_message_tables_beside_its_event_store()
    {
        await TestDatabases.Recreate(Main);
        await TestDatabases.Recreate(County);

        var added = await RunIn("Production", "counties", "add", "410825", "--name", "温县", "--database", TestDatabases.NameOf(County));

        Assert.True(added.ExitCode == 0, added.Errors);
        var tables = await TestDatabases.Scalar<string>(County,
            "select coalesce(string_agg(table_name, ',' order by table_name), '') from information_schema.tables where table_name like 'wolverine%'");
        Assert.Contains("wolverine_incoming_envelopes", tables, StringComparison.Ordinal);
        Assert.Contains("wolverine_outgoing_envelopes", tables, StringComparison.Ordinal);
        Assert.True(await TestDatabases.Scalar<bool>(County,
            "select exists (select 1 from information_schema.tables where table_schema = 'relief' and table_name = 'mt_events')"));
    }

    private static Task<(int ExitCode, string Output, string Errors)> Run(params string[] args) => RunIn("Development", args);

    private static async Task<(int ExitCode, string Output, string Errors)> RunIn(string environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Relief.Api.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (key, value) in OtherHost.PersonalDataKeys) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["ConnectionStrings__Marten"] = Main;
        start.Environment["Relief__CountyRegistry__Enabled"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
