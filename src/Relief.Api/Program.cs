using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Relief.Api.Audit;
using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Dispatch;
using Relief.Api.Dispatch.Demo;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Api.Notifications;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Supervision;
using Relief.Api.Households;
using Relief.Api.Infrastructure;
using Relief.Api.Infrastructure.Health;
using Relief.Api.Infrastructure.Json;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Idempotency;
using Relief.Api.Infrastructure.Observability;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Provenance;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Tenancy;
using Wolverine;
using Wolverine.Http;
using Wolverine.Http.Marten;
using Wolverine.Marten;

if (VerifyExportCommand.IsOffline(args)) return VerifyExportCommand.RunOffline(args);

var builder = WebApplication.CreateBuilder(args);

// The system clock, except for the demo command, which moves its own through 2020.
builder.Services.AddSingleton(DemoCommand.ClockFor(args));
builder.Services.AddReliefJson();
builder.Services.AddReliefProblemDetails();
builder.Services.AddReliefSecurity(builder.Configuration, builder.Environment);
builder.Services.AddReliefIdempotency(builder.Configuration);
// The demo command is the only caller of its private loopback host: its 3,900 requests go unlimited.
builder.Services.AddReliefRateLimits(builder.Configuration, callersUnlimited: DemoCommand.IsRequested(args));
builder.Services.AddReliefPersonalData(builder.Configuration);
builder.Services.AddReliefOpenApi();
builder.Services.AddReliefHealthChecks();
builder.AddReliefObservability();

builder.Services.AddReliefDataSource(builder.Configuration);
builder.Services.AddStreamRoute(HouseholdRules.Stream)
    .AddStreamRoute(AgreementRules.Stream)
    .AddStreamRoute(CaregiverFamilyRules.Stream)
    .AddStreamRoute(CentreRules.Stream)
    .AddStreamRoute(PolicyCaseRules.Stream)
    .AddStreamRoute(TrainingRules.Stream)
    .AddStreamRoute(InspectionRules.Stream);
builder.Services.AddMarten(opts =>
    {
        opts.ConfigureReliefStore(builder.Environment);
        opts.ConfigureHouseholds();
        opts.ConfigureCareAgreements();
        opts.ConfigureCareCentres();
        opts.ConfigureCaregiverFamilies();
        opts.ConfigureExtendedPolicies();
        opts.ConfigureSupervision();
        opts.ConfigureTraining();
        opts.ConfigureNotifications();
        opts.ConfigureDispatch();
    })
    .UseReliefDatabases(builder.Configuration)
    .BuildSessionsWith<RequestSessionFactory>()
    .ApplyReliefSchemaOnStartup(builder.Environment)
    .AddAsyncDaemon(DaemonMode.HotCold)
    .IntegrateWithWolverine(ReliefStore.WolverineMainDatabase(builder.Configuration))
    .SubscribeToEventsWithServices<WebhookFanOut>(ServiceLifetime.Singleton);
builder.Services.AddReliefAudit();

builder.Host.UseWolverine(opts =>
{
    opts.Policies.AutoApplyTransactions();
    opts.UseRuntimeCompilation();
    opts.ConfigureReliefCodeGeneration(builder.Configuration);
    opts.CodeGeneration.Sources.Insert(0, new ClockSource());
    opts.CodeGeneration.Sources.Add(new CallerSource());
    opts.CodeGeneration.Sources.Insert(0, new CountyDataSourceSource());
    opts.ConfigureExtendedPolicies(builder.Configuration);
    opts.ConfigureNotifications(builder.Configuration, builder.Environment);
});

builder.Services.AddWolverineHttp();

var app = builder.Build();

app.UseReliefSecurityHeaders();
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
});

return await app.RunJasperFxCommands(args);

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
