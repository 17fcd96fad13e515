using Relief.Api.Infrastructure.Persistence;

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

/// <summary>Deletes expired idempotency keys once an hour.</summary>
public sealed class IdempotencyKeyJanitor(
    Npgsql.NpgsqlDataSource dataSource,
    IdempotencyStore store,
    TimeProvider clock,
    ILogger<IdempotencyKeyJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await store.DeleteExpired(dataSource, clock.GetUtcNow(), stoppingToken);
                logger.LogInformation("Deleted {Count} expired idempotency keys", deleted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not delete expired idempotency keys; will retry");
            }
        }
    }
}
