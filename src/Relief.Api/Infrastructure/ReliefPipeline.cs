using Marten;
using Relief.Api.Infrastructure.Health;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Idempotency;
using Relief.Api.Infrastructure.Json;
using Relief.Api.Infrastructure.Observability;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Provenance;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Tenancy;
using Wolverine;
using Wolverine.Http;
using Wolverine.Http.Marten;
using Wolverine.Marten;

namespace Relief.Api.Infrastructure;

/// <summary>
/// The cross-cutting pipeline every module runs in: JSON, problem details, security, idempotency,
/// rate limits, personal data, OpenAPI, health, observability, the event store and Wolverine. It
/// knows no module: modules add themselves after it (<c>builder.AddHouseholds()</c>), configuring
/// Marten and Wolverine through <c>ConfigureMarten</c> / <c>ConfigureWolverine</c> and declaring
/// what the pipeline's policies need (<see cref="StreamPolicy.AddStreamRoute"/>,
/// <see cref="SnapshotBackfillSetup.AddSnapshotBackfill{T}"/>).
/// </summary>
public static class ReliefPipeline
{
    /// <param name="builder">The application.</param>
    /// <param name="clock">The clock every endpoint is given.</param>
    /// <param name="callersUnlimited">No rate limits (the demo command's private loopback host).</param>
    public static WebApplicationBuilder AddReliefPipeline(this WebApplicationBuilder builder, TimeProvider clock, bool callersUnlimited)
    {
        builder.Services.AddSingleton(clock);
        builder.Services.AddReliefJson();
        builder.Services.AddReliefProblemDetails();
        builder.Services.AddReliefLanguages();
        builder.Services.AddReliefSecurity(builder.Configuration, builder.Environment);
        builder.Services.AddReliefIdempotency(builder.Configuration);
        builder.Services.AddReliefRateLimits(builder.Configuration, callersUnlimited);
        builder.Services.AddReliefPersonalData(builder.Configuration);
        builder.Services.AddReliefOpenApi();
        builder.Services.AddReliefHealthChecks();
        builder.AddReliefObservability();

        builder.Services.AddReliefDataSource(builder.Configuration);
        builder.Services.AddReliefDaemonWakeup();
        var marten = builder.Services.AddMarten(opts => opts.ConfigureReliefStore(builder.Environment))
            .UseReliefDatabases(builder.Configuration)
            .BuildSessionsWith<RequestSessionFactory>()
            .ApplyReliefSchemaOnStartup(builder.Environment);
        if (!NodeSharing.IsOn(builder.Configuration)) marten = marten.AddAsyncDaemon(JasperFx.Events.Daemon.DaemonMode.Solo);
        marten.IntegrateWithWolverine(ReliefStore.WolverineIntegration(builder.Configuration));

        builder.Host.UseWolverine(opts =>
        {
            opts.Policies.AutoApplyTransactions();
            opts.UseReliefDurabilityPolling();
            opts.UseReliefNodeSharing();
            opts.UseRuntimeCompilation();
            opts.ConfigureReliefCodeGeneration(builder.Configuration);
            opts.CodeGeneration.Sources.Insert(0, new ClockSource());
            opts.CodeGeneration.Sources.Add(new CallerSource());
            opts.CodeGeneration.Sources.Insert(0, new CountyDataSourceSource());
            opts.CodeGeneration.Sources.Insert(0, new CountyTownshipsSource());
            opts.CodeGeneration.Sources.Insert(0, new CountyVaultSource());
        });

        builder.Services.AddWolverineHttp();
        return builder;
    }

    /// <summary>The middleware in order, the health checks, and every module's endpoints under the pipeline's policies.</summary>
    public static WebApplication UseReliefPipeline(this WebApplication app)
    {
        app.UseReliefSecurityHeaders();
        app.UseReliefLanguages();
        // The request log sits outside the exception handler, so a failure is logged with the 500 it answered.
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseHttpLogging();
        app.UseReliefProblemDetails();
        app.UseReliefOpenApi();
        app.UseAuthentication();
        app.UseReliefRateLimits();
        app.UseAuthorization();
        app.UseMiddleware<CountyMiddleware>();
        app.UseMiddleware<RequestGuardMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapReliefHealthChecks();
        app.MapWolverineEndpoints(opts =>
        {
            opts.MapMartenConcurrencyFailuresToConflict();
            opts.DetectCountyOfCaller();
            opts.AddParameterHandlingStrategy(new ClockParameterStrategy());
            opts.AddMiddleware(typeof(ProvenanceMiddleware), ProvenanceMiddleware.AppliesTo);
            opts.AddMiddleware(typeof(UniqueConflictMiddleware), UniqueConflictMiddleware.AppliesTo);
            opts.RequireDeclaredStreams(app.Services);
            opts.AddPolicy<StreamVersionPolicy>();
        });
        return app;
    }
}
