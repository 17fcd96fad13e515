using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// <c>Relief:RateLimits</c>: how many requests one caller may make in a window, and how many
/// expensive reads (<see cref="ExpensiveReads"/>) may run at once in a county.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Relief:RateLimits";

    /// <summary>Requests one caller may make in a <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 600;

    /// <summary>The fixed window the permits are counted in.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests over the limit that wait for the next window instead of a 429 (0: none wait).</summary>
    public int QueueLimit { get; set; }

    /// <summary>Callers (an API key's name or a token's subject) allowed another number of requests per window.</summary>
    public List<CallerRateLimit> Callers { get; set; } = [];

    public ExpensiveReadOptions ExpensiveReads { get; set; } = new();

    /// <summary>The permits per window of an authenticated caller.</summary>
    public int PermitLimitOf(string subject) =>
        Callers.FirstOrDefault(c => c.Subject == subject)?.PermitLimit ?? PermitLimit;

    /// <summary>Stops the start on a limit that cannot work: better than a node that refuses everything.</summary>
    public void Check()
    {
        var wrong = new List<string>();
        if (PermitLimit < 1) wrong.Add("PermitLimit must be 1 or more");
        if (Window <= TimeSpan.Zero) wrong.Add("Window must be longer than zero");
        if (QueueLimit < 0) wrong.Add("QueueLimit must be 0 or more");
        if (Callers.Any(c => string.IsNullOrWhiteSpace(c.Subject) || c.PermitLimit < 1))
            wrong.Add("each Callers entry names a Subject and a PermitLimit of 1 or more");
        if (ExpensiveReads.PermitLimit < 1) wrong.Add("ExpensiveReads:PermitLimit must be 1 or more");
        if (ExpensiveReads.RetryAfter < TimeSpan.FromSeconds(1)) wrong.Add("ExpensiveReads:RetryAfter must be a second or more");
        if (wrong.Count > 0) throw new InvalidOperationException($"{Section}: {string.Join("; ", wrong)}.");
    }
}

/// <summary>One caller's own limit: <c>Relief:RateLimits:Callers:&lt;n&gt;:Subject</c> and <c>…:PermitLimit</c>.</summary>
public sealed class CallerRateLimit
{
    public string Subject { get; set; } = "";

    public int PermitLimit { get; set; }
}

/// <summary>
/// Every request counts against its caller's limit: an authenticated caller by its credential (an
/// API key's name, a token's subject, with its county), anything else by its remote address. Over
/// the limit is 429 with <c>Retry-After</c> (seconds) and a <c>too-many-requests</c> problem,
/// before authorization runs, so unknown keys and missing tokens are limited too. The health
/// endpoints are exempt (<c>DisableRateLimiting</c>). The counts live in each node's memory.
/// </summary>
public static class RateLimitSetup
{
    /// <summary>
    /// The limits of <c>Relief:RateLimits</c>; with <paramref name="callersUnlimited"/> no caller is
    /// counted (a host serving one trusted caller on loopback, such as the demo command's).
    /// </summary>
    public static IServiceCollection AddReliefRateLimits(this IServiceCollection services, IConfiguration configuration,
        bool callersUnlimited = false)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        options.Check();
        services.AddSingleton(options);
        services.AddSingleton<ExpensiveReads>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (callersUnlimited) return RateLimitPartition.GetNoLimiter("unlimited");
                var (key, subject) = PartitionOf(context);
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = subject is null ? options.PermitLimit : options.PermitLimitOf(subject),
                    Window = options.Window,
                    QueueLimit = options.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options.Window;
                var seconds = RetryAfter.Set(rejected.HttpContext, retryAfter);
                await ProblemDetailsSetup.WriteAsync(rejected.HttpContext, Problems.TooManyRequests(
                    "Too many requests.",
                    $"This caller made more requests than its limit allows in {options.Window.TotalSeconds:0} s; retry after {seconds} s."));
            };
        });
        return services;
    }

    /// <summary>
    /// Counts requests per caller: after authentication (which names the caller), before
    /// authorization (which refuses the anonymous, who must be counted too).
    /// </summary>
    public static WebApplication UseReliefRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// Whose permits a request uses: <c>caller:&lt;credential&gt;:&lt;county&gt;:&lt;subject&gt;</c> for an
    /// authenticated caller (with the subject, for its own limit), <c>address:&lt;ip&gt;</c> otherwise.
    /// </summary>
    public static (string Key, string? Subject) PartitionOf(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            var subject = user.FindFirstValue(ReliefClaims.Subject) ?? user.Identity.Name ?? "";
            var credential = user.FindFirstValue(ReliefClaims.Credential) ?? "token";
            var county = user.FindFirstValue(ReliefClaims.County) ?? "";
            return ($"caller:{credential}:{county}:{subject}", subject);
        }

        return ($"address:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}", null);
    }
}

/// <summary>The <c>Retry-After</c> header of a 429.</summary>
public static class RetryAfter
{
    /// <summary>Sets the header to <paramref name="after"/> in whole seconds (at least one) and answers them.</summary>
    public static int Set(HttpContext context, TimeSpan after)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }
}
