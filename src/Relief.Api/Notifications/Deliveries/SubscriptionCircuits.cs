using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>The outcome of one attempt: delivered (no reason), or why not.</summary>
public sealed record AttemptOutcome(int? StatusCode, string? Reason)
{
    public bool Delivered => Reason is null;
}

/// <summary>
/// One resilience pipeline per subscription (Polly 8): a concurrency limiter, so that at most
/// <see cref="NotificationOptions.ConcurrencyPerSubscription"/> deliveries to it are in flight, and a
/// circuit breaker that opens when <see cref="NotificationOptions.BreakAfterFailures"/> attempts in a row
/// failed and lets one trial through after <see cref="NotificationOptions.BreakDuration"/>. Both refuse
/// at once (<c>RateLimiterRejectedException</c>, <see cref="BrokenCircuitException"/>) instead of waiting,
/// so a dead receiver never holds one of the queue's shared sending slots: the handler postpones the
/// delivery instead. In memory, per node: a restart starts every circuit closed.
/// </summary>
public sealed class SubscriptionCircuits(NotificationOptions options, TimeProvider clock) : IAsyncDisposable
{
    private readonly ResiliencePipelineRegistry<Guid> _pipelines = new();

    public ResiliencePipeline<AttemptOutcome> For(Guid subscriptionId) =>
        _pipelines.GetOrAddPipeline<AttemptOutcome>(subscriptionId, builder =>
        {
            builder.TimeProvider = clock;
            builder.AddConcurrencyLimiter(options.ConcurrencyPerSubscription, queueLimit: 0)
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptOutcome>
                {
                    // Every attempt in the window failed, and there were at least this many.
                    FailureRatio = 1.0,
                    MinimumThroughput = options.BreakAfterFailures,
                    SamplingDuration = NotificationOptions.BreakerWindow,
                    BreakDuration = options.BreakDuration,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Delivered: false }),
                });
        });

    public ValueTask DisposeAsync() => _pipelines.DisposeAsync();
}
