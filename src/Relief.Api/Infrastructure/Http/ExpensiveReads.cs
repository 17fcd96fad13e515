using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Tenancy;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.Http;

/// <summary><c>Relief:RateLimits:ExpensiveReads</c>: how many expensive reads run at once in a county.</summary>
public sealed class ExpensiveReadOptions
{
    /// <summary>Expensive reads one county runs at once (on one node).</summary>
    public int PermitLimit { get; set; } = 2;

    /// <summary>What <c>Retry-After</c> tells the caller refused because every slot is taken.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The concurrency cap of the reads whose cost grows with the whole history: the chain's
/// verification, the audit export and the weekly report as known at an instant. At most
/// <see cref="ExpensiveReadOptions.PermitLimit"/> run at once per county; the next is refused at
/// once (no queue) with 429, <c>Retry-After</c> and a <c>too-many-requests</c> problem, so that
/// requests do not pile up holding connections while one read walks the event table.
/// <para>
/// An endpoint enters last in its <c>Validate</c>, after its own scope and value checks, and keeps
/// its slot until its response is written (a streamed export included). It is entered there and not
/// through an ASP.NET endpoint rate-limiting policy, because that middleware runs before
/// authorization: a caller without the scope would take a slot (or see 429 instead of 403).
/// </para>
/// </summary>
public sealed class ExpensiveReads(RateLimitOptions options) : IDisposable
{
    private readonly ExpensiveReadOptions _options = options.ExpensiveReads;

    private readonly PartitionedRateLimiter<string> _slots = PartitionedRateLimiter.Create<string, string>(county =>
        RateLimitPartition.GetConcurrencyLimiter(county, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.ExpensiveReads.PermitLimit,
            QueueLimit = 0,
        }));

    /// <summary>Slots per county.</summary>
    public int PermitLimit => _options.PermitLimit;

    /// <summary>A slot in <paramref name="county"/> (its code), or a refused lease when all are taken: dispose it either way.</summary>
    public RateLimitLease TryAcquire(string county) => _slots.AttemptAcquire(county);

    /// <summary>
    /// Takes a slot in the caller's county for the rest of the request (released when the response
    /// is finished), or answers the 429 problem and sets <c>Retry-After</c>.
    /// </summary>
    public ProblemDetails Enter(HttpContext context)
    {
        var lease = TryAcquire(CountyOf.Caller(context).Code);
        if (lease.IsAcquired)
        {
            context.Response.RegisterForDispose(lease);
            return WolverineContinue.NoProblems;
        }

        lease.Dispose();
        var seconds = RetryAfter.Set(context, _options.RetryAfter);
        return Problems.TooManyRequests("The county's expensive reads are all in use.",
            $"At most {_options.PermitLimit} verifications, exports or reports as known at an instant run at once in a county; retry after {seconds} s.");
    }

    public void Dispose() => _slots.Dispose();
}
