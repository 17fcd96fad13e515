using Microsoft.AspNetCore.HttpLogging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Relief.Api.Infrastructure.Observability;

/// <summary>
/// What an operator sees of a running node: one log line per request carrying its correlation id
/// (JSON on the console outside Development, see appsettings.json), and, when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OpenTelemetry traces, metrics and logs over OTLP from
/// ASP.NET Core, HttpClient, Npgsql, Marten, Wolverine, the .NET runtime and Relief's own gauges.
/// docs/operations.md lists the figures to watch.
/// </summary>
public static class ObservabilitySetup
{
    /// <summary>The configuration key (and environment variable) that switches OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Marten's and Wolverine's ActivitySource and Meter names.</summary>
    private static readonly string[] CritterSources = ["Marten", "Wolverine"];

    public static WebApplicationBuilder AddReliefObservability(this WebApplicationBuilder builder)
    {
        // One line per request, inside the correlation scope (CorrelationMiddleware): method, path,
        // status and duration only. Never headers, query strings or bodies: they carry personal data
        // and credentials.
        builder.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath |
                              HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });

        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey])) return builder;

        builder.Services.AddSingleton<ReliefMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReliefMetrics>());

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(
                serviceName: builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "relief",
                serviceInstanceId: Environment.MachineName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(CritterSources))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(CritterSources)
                .AddMeter(ReliefMetrics.MeterName))
            .WithLogging(_ => { }, o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
            })
            // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* variables.
            .UseOtlpExporter();
        return builder;
    }
}
