namespace Relief.Api.Notifications;

/// <summary>Configuration of webhook notifications (<c>Relief:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    /// <summary>
    /// Only https webhook URLs. Always on in Production whatever this says; elsewhere off unless set,
    /// so that development and tests can use a receiver on http://127.0.0.1.
    /// </summary>
    public bool RequireHttps { get; set; }

    /// <summary>How long one delivery attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The cooldowns between attempts: one retry per entry, then the delivery is Failed (and the
    /// message moves to Wolverine's dead-letter queue). Five attempts over about three minutes by default.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(2)];

    public int MaxAttempts => RetryDelays.Length + 1;

    public static NotificationOptions From(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = new NotificationOptions();
        configuration.GetSection("Relief:Notifications").Bind(options);
        if (configuration.GetSection("Relief:Notifications:RetryDelays").Exists())
            options.RetryDelays = configuration.GetSection("Relief:Notifications:RetryDelays").Get<TimeSpan[]>() ?? [];
        if (environment.IsProduction()) options.RequireHttps = true;
        return options;
    }
}
