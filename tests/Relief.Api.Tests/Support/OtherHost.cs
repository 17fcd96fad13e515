using Alba;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Relief.Api.Tests.Infrastructure.Tenancy;
using Wolverine;

namespace Relief.Api.Tests.Support;

/// <summary>
/// A Relief host of its own, for what only start-up decides (the environment, a bad configuration).
/// It runs beside the shared fixture's host without touching its data: its database is an empty one
/// of its own (<c>relief_tests_other_host</c>), and it keeps no message store and runs no daemon.
/// </summary>
public static class OtherHost
{
    /// <summary>The development personal-data keys, which a host outside Development must be given.</summary>
    public static readonly IReadOnlyDictionary<string, string> PersonalDataKeys = new Dictionary<string, string>
    {
        ["Relief:PersonalData:CurrentMasterKeyId"] = "test-1",
        ["Relief:PersonalData:MasterKeys:test-1"] = Convert.ToBase64String(new byte[32]),
        ["Relief:PersonalData:IndexKey"] = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray()),
    };

    public static string ConnectionString =>
        new NpgsqlConnectionStringBuilder(AppFixture.ConnectionString) { Database = "relief_tests_other_host" }.ConnectionString;

    /// <summary>Starts a host in <paramref name="environment"/> with these settings (over the test hosts' own).</summary>
    public static async Task<IAlbaHost> StartAsync(string environment, IReadOnlyDictionary<string, string> settings)
    {
        await TestDatabases.Create(ConnectionString);
        return await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("ConnectionStrings:Marten", ConnectionString);
            AppFixture.UseTestHostSettings(builder, receivers: null);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.ConfigureMarten(o =>
                {
                    o.Projections.AsyncMode = DaemonMode.Disabled;
                    // Outside Development the schema is db-apply's to make: here the tables are made as first used.
                    o.AutoCreateSchemaObjects = JasperFx.AutoCreate.CreateOrUpdate;
                });
            });
        });
    }
}
