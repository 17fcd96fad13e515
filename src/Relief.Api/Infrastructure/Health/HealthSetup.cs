using Marten;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Marten.Events.Daemon;
using Npgsql;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Infrastructure.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: PostgreSQL answers, the async
/// daemon runs its projections and keeps up with the high-water mark. Both are anonymous and never rate-limited.
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
        // Probes call these every few seconds: they stay out of the request log and out of the rate limits.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous()
            .WithHttpLogging(HttpLoggingFields.None).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            ResponseWriter = WriteJson,
        }).AllowAnonymous().WithHttpLogging(HttpLoggingFields.None).DisableRateLimiting();
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

    /// <summary>Every county's database answers a query within the check's time (and, with counties, the main one).</summary>
    private sealed class PostgresHealthCheck(Counties counties, NpgsqlDataSource main) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken token = default)
        {
            var databases = counties.All.Select(c => (Name: $"county {c.Code}", c.DataSource)).ToList();
            if (counties.IsMultiCounty) databases.Add(("the main database", main));
            var silent = new List<string>();
            foreach (var (name, dataSource) in databases)
            {
                try
                {
                    await using var command = dataSource.CreateCommand("select 1");
                    await command.ExecuteScalarAsync(token);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    silent.Add(name);
                }
            }

            if (silent.Count == 0) return HealthCheckResult.Healthy("PostgreSQL answers.");
            return HealthCheckResult.Unhealthy(counties.IsMultiCounty
                ? $"PostgreSQL does not answer for {string.Join(", ", silent)}."
                : "PostgreSQL does not answer.");
        }
    }
}
