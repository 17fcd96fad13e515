using Marten;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Marten.Events.Daemon;
using Npgsql;

namespace Relief.Api.Infrastructure.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: PostgreSQL answers, the async
/// daemon runs its projections and keeps up with the high-water mark. Both are anonymous.
/// </summary>
public static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddReliefHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgresql", tags: [Ready])
            .AddMartenAsyncDaemonHealthCheck(maxEventLag: 1000)
            .AddMartenHighWaterHealthCheck(staleThreshold: TimeSpan.FromMinutes(1));
        return services;
    }

    public static WebApplication MapReliefHealthChecks(this WebApplication app)
    {
        // Probes call these every few seconds: they stay out of the request log.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().WithHttpLogging(HttpLoggingFields.None);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            ResponseWriter = WriteJson,
        }).AllowAnonymous().WithHttpLogging(HttpLoggingFields.None);
        return app;
    }

    private static Task WriteJson(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
            }),
        });

    /// <summary>PostgreSQL answers a query within the check's time.</summary>
    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken token = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("select 1");
                await command.ExecuteScalarAsync(token);
                return HealthCheckResult.Healthy("PostgreSQL answers.");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
            }
        }
    }
}
