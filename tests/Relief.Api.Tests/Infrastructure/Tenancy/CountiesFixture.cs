using Alba;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Security;
using Wolverine;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// A second Relief host that serves two counties, each with a database of its own: Wuzhi
/// (<see cref="A"/>, the default county, where the development keys belong) and Boai
/// (<see cref="B"/>). Every development key has a twin that belongs to Boai: while
/// <see cref="ActAs"/> is Boai, requests made through Alba's scenarios carry the twin instead, so
/// the same scenario builders fill either county with the same kinds of data (same townships).
/// </summary>
public sealed class CountiesFixture : IAsyncLifetime
{
    public const string A = "410823";
    public const string B = "410822";
    private const string TwinPrefix = B + "/";

    /// <summary>A region's key naming its counties one by one: Boai (<see cref="B"/>) and 410821, not served here.</summary>
    public const string RegionListKey = "region-boai-xiuwu-2d7f";

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>The county whose keys scenario requests carry (the development keys are <see cref="A"/>'s).</summary>
    public string ActAs { get; set; } = A;

    public static string MainConnection => TestDatabases.Named("counties_main");

    public static string ConnectionOf(string county) => TestDatabases.Named(county);

    /// <summary>Boai's twin of a development key.</summary>
    public static string TwinOf(string developmentKey) => TwinPrefix + developmentKey;

    private readonly FakeTimeProvider _clock = new(AppFixture.Start);

    /// <summary>The loopback webhook receivers this host may deliver to (started before it, allow-listed).</summary>
    public WebhookReceivers Receivers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receivers = await WebhookReceivers.Start();
        foreach (var connection in new[] { MainConnection, ConnectionOf(A), ConnectionOf(B) }) await TestDatabases.Create(connection);

        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Marten", MainConnection);
            builder.UseSetting("Relief:Counties:0:Code", A);
            builder.UseSetting("Relief:Counties:0:Database", new NpgsqlConnectionStringBuilder(ConnectionOf(A)).Database);
            builder.UseSetting("Relief:Counties:1:Code", B);
            builder.UseSetting("Relief:Counties:1:ConnectionString", ConnectionOf(B));
            builder.UseSetting("Relief:Counties:0:Name", "武陟县");
            builder.UseSetting("Relief:Counties:1:Name", "博爱县");
            // A region's keys belong to no county: they have no twin.
            var twins = DevelopmentKeys.For([new Township("mucheng", "木城街道"), new Township("sanyang", "三阳乡")])
                .Where(k => k.Region is null).ToList();
            for (var i = 0; i < twins.Count; i++)
            {
                var key = twins[i];
                var prefix = $"Relief:ApiKeys:{i}:";
                builder.UseSetting(prefix + "Name", TwinOf(key.Name));
                builder.UseSetting(prefix + "Hash", ApiKeyRegistry.HashOf(TwinOf(key.Name)));
                builder.UseSetting(prefix + "Department", key.Department.ToString());
                builder.UseSetting(prefix + "County", B);
                if (key.Township is not null) builder.UseSetting(prefix + "Township", key.Township);
                if (key.Organisation is not null) builder.UseSetting(prefix + "Organisation", key.Organisation);
                for (var s = 0; s < key.Scopes.Count; s++) builder.UseSetting($"{prefix}Scopes:{s}", key.Scopes[s]);
            }

            // A region named county by county: Boai, and 修武县 (410821), which this Relief does not serve.
            var listed = $"Relief:ApiKeys:{twins.Count}:";
            builder.UseSetting(listed + "Name", RegionListKey);
            builder.UseSetting(listed + "Hash", ApiKeyRegistry.HashOf(RegionListKey));
            builder.UseSetting(listed + "Department", nameof(Department.PovertyAlleviationOffice));
            builder.UseSetting(listed + "Region", $"{B},410821");
            builder.UseSetting(listed + "Scopes:0", Scopes.RegionReports);

            AppFixture.UseTestHostSettings(builder, Receivers);
            // Marten's own daemon here (Solo): tests build daemons of their own to catch up (NodeSharing.IsOn).
            builder.UseSetting("Relief:NodeSharing:Enabled", "false");
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(_clock);
                services.RunWolverineInSoloMode();
                services.AddSingleton<IStartupFilter>(new TwinKeys(this));
            });
        });
    }

    /// <summary>First in the pipeline: while the fixture acts as Boai, a development key becomes its Boai twin.</summary>
    private sealed class TwinKeys(CountiesFixture fixture) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, proceed) =>
            {
                var key = context.Request.Headers["X-Api-Key"].ToString();
                if (fixture.ActAs == B && key.StartsWith("dev-", StringComparison.Ordinal)) context.Request.Headers["X-Api-Key"] = TwinOf(key);
                await proceed(context);
            });
            next(app);
        };
    }

    /// <summary>Wipes both counties' data (and the main database's messages), acting as Wuzhi again.</summary>
    public async Task ResetAsync()
    {
        ActAs = A;
        Receivers.Reset();
        await Host.ResetAllMartenDataAsync();
        foreach (var connection in new[] { ConnectionOf(A), ConnectionOf(B) }) await AppFixture.WipeTablesMartenKeeps(connection);
    }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>Runs a scalar query in one county's database.</summary>
    public static async Task<T> Scalar<T>(string county, string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionOf(county));
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static Task<long> EventCount(string county) => Scalar<long>(county, "select count(*) from relief.mt_events");

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        await Receivers.DisposeAsync();
    }


}

[CollectionDefinition(Name)]
public sealed class CountiesCollection : ICollectionFixture<CountiesFixture>
{
    public const string Name = "counties";
}
