using System.Net;

namespace Relief.Api.Notifications;

/// <summary>Configuration of webhook notifications (<c>Relief:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Relief:Notifications";

    /// <summary>
    /// Only https webhook URLs. Always on outside Development whatever this says; in Development off
    /// unless set. A loopback target of <see cref="AllowedTargets"/> may use http everywhere it is allowed.
    /// </summary>
    public bool RequireHttps { get; set; }

    /// <summary>
    /// Loopback endpoints (<c>127.0.0.1:5080</c>, <c>[::1]:5080</c>) that webhooks may reach although
    /// every other loopback, private or special-purpose address is refused: a receiver on the
    /// developer's machine or a test's. Nothing else may be listed, and Relief refuses to start in
    /// Production when any is.
    /// </summary>
    public string[] AllowedTargets { get; set; } = [];

    /// <summary><see cref="AllowedTargets"/>, parsed (IPv4 addresses as IPv4, never IPv4-mapped).</summary>
    public IReadOnlySet<IPEndPoint> AllowedEndPoints { get; private set; } = new HashSet<IPEndPoint>();

    /// <summary>How long one delivery attempt may take (connecting included).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The cooldowns between attempts: one retry per entry, then the delivery is Failed (and the
    /// message moves to Wolverine's dead-letter queue). Five attempts over about three minutes by default.
    /// Each cooldown is a scheduled message: it holds no sending slot.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(2)];

    public int MaxAttempts => RetryDelays.Length + 1;

    /// <summary>At most this many deliveries to one subscription are sent at once; the next wait for <see cref="BusyDelay"/>.</summary>
    public int ConcurrencyPerSubscription { get; set; } = 2;

    /// <summary>How long a delivery waits when its subscription already has its fill of deliveries in flight.</summary>
    public TimeSpan BusyDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A subscription's circuit opens when at least this many attempts were made to it within
    /// <see cref="BreakerWindow"/> and every one of them failed (so: this many failures in a row).
    /// </summary>
    public int BreakAfterFailures { get; set; } = 5;

    /// <summary>How long an open circuit holds deliveries back before it lets one trial through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The window in which <see cref="BreakAfterFailures"/> failures are counted.</summary>
    public static readonly TimeSpan BreakerWindow = TimeSpan.FromMinutes(10);

    /// <summary>A department holds at most this many active (not cancelled) subscriptions.</summary>
    public int MaxSubscriptionsPerDepartment { get; set; } = 20;

    public static NotificationOptions From(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = new NotificationOptions();
        configuration.GetSection(Section).Bind(options);
        if (configuration.GetSection($"{Section}:RetryDelays").Exists())
            options.RetryDelays = configuration.GetSection($"{Section}:RetryDelays").Get<TimeSpan[]>() ?? [];
        if (!environment.IsDevelopment()) options.RequireHttps = true;
        if (environment.IsProduction() && options.AllowedTargets.Length > 0)
            throw new InvalidOperationException(
                $"{Section}:AllowedTargets lets webhooks reach loopback receivers, for development and tests; it must be empty in Production.");
        options.AllowedEndPoints = options.AllowedTargets.Select(LoopbackEndPoint).ToHashSet();
        if (options.ConcurrencyPerSubscription < 1) throw Invalid("ConcurrencyPerSubscription", "is at least 1");
        if (options.BreakAfterFailures < 2) throw Invalid("BreakAfterFailures", "is at least 2");
        if (options.BreakDuration < TimeSpan.FromMilliseconds(500)) throw Invalid("BreakDuration", "is at least 0.5 s");
        if (options.MaxSubscriptionsPerDepartment < 1) throw Invalid("MaxSubscriptionsPerDepartment", "is at least 1");
        return options;
    }

    private static IPEndPoint LoopbackEndPoint(string target)
    {
        if (!IPEndPoint.TryParse(target, out var endPoint) || endPoint.Port == 0 || !IPAddress.IsLoopback(endPoint.Address))
            throw Invalid("AllowedTargets", $"lists loopback endpoints with a port (127.0.0.1:5080, [::1]:5080), not '{target}'");
        return endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }

    private static InvalidOperationException Invalid(string key, string rule) => new($"{Section}:{key} {rule}.");
}
