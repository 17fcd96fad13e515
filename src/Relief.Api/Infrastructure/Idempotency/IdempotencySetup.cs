using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Infrastructure.Idempotency;

public static class IdempotencySetup
{
    public static IServiceCollection AddReliefIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IdempotencyOptions>(configuration.GetSection("Relief:Idempotency"));
        services.AddSingleton(new IdempotencyStore(ReliefStore.Schema));
        services.AddHostedService<IdempotencyKeyJanitor>();
        return services;
    }
}

/// <summary>Deletes expired idempotency keys once an hour, in every county's database.</summary>
public sealed class IdempotencyKeyJanitor(
    Counties counties,
    IdempotencyStore store,
    TimeProvider clock,
    ILogger<IdempotencyKeyJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var county in counties.All)
            {
                try
                {
                    var deleted = await store.DeleteExpired(county.DataSource, clock.GetUtcNow(), stoppingToken);
                    logger.LogInformation("Deleted {Count} expired idempotency keys of county {County}", deleted, county.Code);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not delete expired idempotency keys of county {County}; will retry", county.Code);
                }
            }
        }
    }
}
