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
public sealed partial class IdempotencyKeyJanitor(
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
                    ExpiredKeysDeleted(logger, deleted, county.Code);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ExpiredKeysNotDeleted(logger, e, county.Code);
                }
            }
        }
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys of county {County}")]
    private static partial void ExpiredKeysDeleted(ILogger logger, int count, string county);

    [LoggerMessage(EventId = 0, Level = LogLevel.Warning, Message = "Could not delete expired idempotency keys of county {County}; will retry")]
    private static partial void ExpiredKeysNotDeleted(ILogger logger, Exception exception, string county);
}
