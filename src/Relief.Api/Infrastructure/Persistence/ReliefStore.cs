using System.Data.Common;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using Relief.Api.Infrastructure.Idempotency;
using Relief.Api.Infrastructure.Json;
using Relief.Api.Infrastructure.Tenancy;
using Weasel.Core;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>How Relief's Marten store is set up, whatever the module.</summary>
public static class ReliefStore
{
    public const string Schema = "relief";

    /// <summary>
    /// How many events the async daemon reads and commits at a time for the projections that see
    /// nearly every event (the household write model and view, the weekly report, the audit chain),
    /// when rebuilding or catching up; Marten's default is 500. A full rebuild of 1M events then
    /// commits a tenth as often: PostgreSQL spent 48 and 57 s of CPU on it against 64 and 70 s with
    /// 500, and it took 77 and 91 s against 83 and 96 s (docs/performance.md §Scale). In service a
    /// page holds what was written since the last poll, as before.
    /// </summary>
    public const int LargePage = 5_000;

    /// <summary>The PostgreSQL connection string: <c>ConnectionStrings:Marten</c>.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Marten")
        ?? throw new InvalidOperationException(
            "ConnectionStrings:Marten is not set. eng/run and eng/test set it; see the README.");

    /// <summary>
    /// One pooled data source per database, shared by Marten and Relief's own SQL (idempotency keys,
    /// the audit): with one county, <c>ConnectionStrings:Marten</c>'s; with several, each county's
    /// (Marten opens it; <see cref="Counties"/> hands it out) and this one is Wolverine's main database.
    /// </summary>
    public static IServiceCollection AddReliefDataSource(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(CountyDirectory.From(configuration));
        services.AddSingleton(_ => DataSource(ConnectionString(configuration)));
        services.AddSingleton<Counties>();
        services.AddSingleton<CountyRegistry>();
        if (CountyDirectory.RegistryIn(configuration)) services.AddHostedService<CountyRegistryRefresh>();
        services.ConfigureMarten((IServiceProvider provider, StoreOptions opts) =>
            opts.Logger(new ReliefMartenLogger(provider.GetRequiredService<ILoggerFactory>().CreateLogger("Marten.IDocumentStore"))));
        return services;
    }

    /// <summary>
    /// A pooled data source that keeps what PostgreSQL has planned. By default Npgsql resets every
    /// connection it takes back (DISCARD ALL), which also throws away the plans of Marten's append
    /// function and of every statement; each write then parses and plans about a dozen statements
    /// again. Relief keeps no session state on pooled connections (its locks are per transaction),
    /// so it skips the reset and lets Npgsql prepare the statements it sees repeatedly. The pool holds
    /// at most <see cref="MaxPoolSize"/> connections (Npgsql's default: 100): every few minutes Npgsql
    /// closes at once as many connections as stood idle through most of that time, so after a burst of
    /// 64 callers a pool of 100 closed 57 backends in one second and opened 95 for the requests that
    /// queued behind that (a 6–8 s stall of a 2-core server, docs/performance.md); 32 did better at 64
    /// callers too. Each can be set otherwise in the connection string (<c>No Reset On Close</c>,
    /// <c>Max Auto Prepare</c>, <c>Maximum Pool Size</c>).
    /// </summary>
    public static NpgsqlDataSource DataSource(string connectionString) =>
        new NpgsqlDataSourceBuilder(Tuned(connectionString)).Build();

    /// <summary>The connection string with <see cref="DataSource"/>'s defaults (also each county's, whose pool Marten builds).</summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("NoResetOnClose")) builder.NoResetOnClose = true;
        if (!given.Contains("MaxAutoPrepare")) builder.MaxAutoPrepare = 64;
        if (!given.Contains("MaximumPoolSize") && !given.Contains("MaxPoolSize")) builder.MaxPoolSize = MaxPoolSize;
        return builder.ConnectionString;
    }

    /// <summary>The most connections a node's pool holds to one database unless its connection string says otherwise.</summary>
    public const int MaxPoolSize = 32;

    /// <summary>
    /// Where Marten keeps its data: with no <c>Relief:Counties</c>, the one shared data source (as
    /// always); with counties, a database per county, the county code being Marten's tenant id.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression UseReliefDatabases(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, IConfiguration configuration)
    {
        var directory = CountyDirectory.From(configuration);
        if (!directory.IsMultiCounty) return marten.UseNpgsqlDataSource();
        marten.Services.ConfigureMarten(opts => opts.ConfigureNpgsqlDataSourceBuilder(ReleaseIdleConnections));
        if (directory.IsRegistry)
        {
            // Counties as data: Marten's master table in the main database, each row a county (its
            // code the tenant id, its connection string its server and database). The table is
            // created whatever AutoCreateSchemaObjects says: it is the list of databases to migrate.
            marten.Services.ConfigureMarten(opts => opts.MultiTenantedDatabasesWithMasterDatabaseTable(registry =>
            {
                registry.ConnectionString = Tuned(directory.MainConnectionString);
                registry.SchemaName = Schema;
                registry.AutoCreate = AutoCreate.CreateOrUpdate;
                registry.ApplicationName = "Relief";
            }));
            return marten;
        }

        marten.Services.ConfigureMarten(opts => opts.MultiTenantedDatabases(tenancy =>
        {
            foreach (var county in directory.Counties)
            {
                tenancy.AddSingleTenantDatabase(Tuned(directory.ConnectionStringOf(county)), county.Code);
            }
        }));
        return marten;
    }

    /// <summary>
    /// A county's pool closes a connection idle for 10 s (Npgsql's default: 5 min), looking every 5 s: an
    /// idle county, whose daemon looks at it every <see cref="DaemonWakeup.IdlePolling"/>, then holds no
    /// connection between two looks, and a county in use keeps the connections it uses. Either can be
    /// set otherwise in the county's connection string (<c>Connection Idle Lifetime</c>, <c>Connection Pruning Interval</c>).
    /// </summary>
    private static void ReleaseIdleConnections(NpgsqlDataSourceBuilder county)
    {
        var given = county.ConnectionStringBuilder;
        var defaults = new NpgsqlConnectionStringBuilder();
        if (given.ConnectionIdleLifetime == defaults.ConnectionIdleLifetime) given.ConnectionIdleLifetime = 10;
        if (given.ConnectionPruningInterval == defaults.ConnectionPruningInterval) given.ConnectionPruningInterval = 5;
    }

    /// <summary>
    /// Marten under Wolverine. Wolverine runs the async daemon: it spreads the projections and the
    /// webhook fan-out subscription over the running nodes (its managed distribution, which replaces
    /// Marten's own <c>AddAsyncDaemon</c>; <see cref="NodeSharing"/>). With counties, its main database
    /// (its node registry and messages that belong to no county) is <c>ConnectionStrings:Marten</c>, and
    /// each county's database holds that county's messages.
    /// </summary>
    public static Action<Wolverine.Marten.MartenIntegration> WolverineIntegration(IConfiguration configuration) =>
        integration =>
        {
            integration.UseWolverineManagedEventSubscriptionDistribution = NodeSharing.IsOn(configuration);
            if (CountyDirectory.From(configuration).IsMultiCounty) integration.MainDatabaseConnectionString = ConnectionString(configuration);
        };

    /// <summary>Outside production the schema follows the code at start-up; production runs db-apply.</summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression ApplyReliefSchemaOnStartup(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, IHostEnvironment environment) =>
        environment.IsProduction() ? marten : marten.ApplyAllDatabaseChangesOnStartup();

    public static void ConfigureReliefStore(this StoreOptions opts, IHostEnvironment environment)
    {
        opts.DatabaseSchemaName = Schema;
        // Casing must be told to Marten too: its LINQ and indexes name the JSON members.
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, configure: ReliefJson.Configure);

        // Production applies schema changes deliberately (db-apply / db-patch); development and tests
        // keep the schema in step with the code by themselves.
        opts.AutoCreateSchemaObjects = environment.IsProduction() ? AutoCreate.None : AutoCreate.CreateOrUpdate;

        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        opts.Events.UseMandatoryStreamTypeDeclaration = true;
        opts.Events.AppendMode = EventAppendMode.Quick;

        // Provenance from the first commit: who, from which system, on whose behalf, why.
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;

        // The async daemon looks for new events every 100 ms when busy (Marten's default: 250 ms): the
        // weekly report, the audit chain and the webhooks follow a write within a fraction of a second.
        // When quiet it looks every 250 ms for 10 s after a write and every 30 s otherwise, and at once
        // when Relief appends events (DaemonWakeup): an idle county costs a poll every 30 s, not four a
        // second. Its watchdog restarts a poll loop that has not cycled for 30 s by default: longer here.
        opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
        opts.Projections.SlowPollingTime = DaemonWakeup.IdlePolling;
        opts.Projections.HighWaterStalenessThreshold = 3 * DaemonWakeup.IdlePolling;

        opts.Storage.ExtendedSchemaObjects.Add(IdempotencyStore.Table(Schema));

        // Observability (exported only when OTLP is configured): marten.event.append by event type.
        opts.OpenTelemetry.TrackEventCounters();
    }
}
