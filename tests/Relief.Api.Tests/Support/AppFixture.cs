using Alba;
using Microsoft.Extensions.Logging;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Relief.Api.Notifications.Targets;
using Wolverine;

namespace Relief.Api.Tests.Support;

/// <summary>
/// One Relief host for the whole test run, on the real PostgreSQL database <c>relief_tests</c>
/// (started by eng/test), with a pinned clock. Data is reset before each test, never after.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string DefaultConnection = "Host=127.0.0.1;Port=54329;Database=relief_tests;Username=postgres";

    /// <summary>The pinned "now" of every test: 2020-10-01 10:00 China time.</summary>
    public static readonly DateTimeOffset Start = new(2020, 10, 1, 2, 0, 0, TimeSpan.Zero);

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>This test's clock: a new <see cref="FakeTimeProvider"/> at <see cref="Start"/> for every test.</summary>
    public FakeTimeProvider Clock => _clock.Current;

    private readonly TestClock _clock = new();

    /// <summary>The loopback webhook receivers this host may deliver to (started before it, allow-listed).</summary>
    public WebhookReceivers Receivers { get; private set; } = null!;

    /// <summary>How this host resolves webhook host names (<see cref="ScriptedNameResolver"/>).</summary>
    public ScriptedNameResolver Names => (ScriptedNameResolver)Host.Services.GetRequiredService<IWebhookNameResolver>();

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Marten") is { Length: > 0 } configured
            ? configured
            : DefaultConnection;

    public async Task InitializeAsync()
    {
        Receivers = await WebhookReceivers.Start();
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Marten", ConnectionString);
            // A production-style key, configured by its hash only: a bank system that may write
            // households by scope, but whose department does not own the household registry.
            builder.UseSetting("Relief:ApiKeys:0:Name", "bank-system");
            builder.UseSetting("Relief:ApiKeys:0:Hash", Relief.Api.Infrastructure.Security.ApiKeyRegistry.HashOf(Keys.BankSystem));
            builder.UseSetting("Relief:ApiKeys:0:Department", "Bank");
            builder.UseSetting("Relief:ApiKeys:0:Organisation", "bank-system");
            builder.UseSetting("Relief:ApiKeys:0:Scopes:0", "households:write");
            builder.UseSetting("Relief:ApiKeys:0:Scopes:1", "households:read");
            // A key of its own limit, 3 requests in the run's window: RateLimitTests spends it.
            builder.UseSetting("Relief:ApiKeys:1:Name", "throttled-system");
            builder.UseSetting("Relief:ApiKeys:1:Hash", Relief.Api.Infrastructure.Security.ApiKeyRegistry.HashOf(Keys.Throttled));
            builder.UseSetting("Relief:ApiKeys:1:Department", "Bank");
            builder.UseSetting("Relief:ApiKeys:1:Organisation", "throttled-bank");
            builder.UseSetting("Relief:ApiKeys:1:Scopes:0", "households:read");
            builder.UseSetting("Relief:RateLimits:Callers:0:Subject", "throttled-system");
            builder.UseSetting("Relief:RateLimits:Callers:0:PermitLimit", "3");
            UseTestHostSettings(builder, Receivers);
            // Marten's own daemon here (Solo): tests build daemons of their own to catch up (NodeSharing.IsOn).
            builder.UseSetting("Relief:NodeSharing:Enabled", "false");
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(_clock);
                services.RunWolverineInSoloMode();
            });
        });
    }

    /// <summary>Puts this test's clock at <paramref name="instant"/> (e.g. before <see cref="Start"/>, for a run through 2020).</summary>
    public void ClockAt(DateTimeOffset instant) => _clock.Current = new FakeTimeProvider(instant);

    /// <summary>Wipes every document, event, idempotency key and stored message, and puts the clock back.</summary>
    public async Task ResetAsync()
    {
        _clock.Current = new FakeTimeProvider(Start);
        Receivers.Reset();
        Names.Reset();
        await Host.ResetAllMartenDataAsync();
        await WipeTablesMartenKeeps(ConnectionString);
    }

    /// <summary>
    /// What every test host shares (this fixture's and the counties fixture's): the JWT issuer; webhooks
    /// that may reach the host's own loopback receivers and no other, resolve names only by script, and
    /// retry in milliseconds so that a failing receiver fails fast (3 attempts); scheduled messages
    /// (webhook retries) polled every 100 ms instead of 5 s; a rate limit no test meets (a million
    /// requests per caller in an hour, longer than a run); and the request log kept off the test console,
    /// where it would be thousands of lines of noise (RequestLogTests reads it through a provider of its own).
    /// </summary>
    public static void UseTestHostSettings(IWebHostBuilder builder, WebhookReceivers? receivers)
    {
        builder.UseSetting("Relief:Jwt:Issuer", Tokens.Issuer);
        builder.UseSetting("Relief:Jwt:Audience", Tokens.Audience);
        builder.UseSetting("Relief:Jwt:SigningKey", Tokens.SigningKey);
        receivers?.AllowIn(builder); // none for a host outside Development, where an allow-list stops the start
        builder.UseSetting("Relief:Notifications:RetryDelays:0", "00:00:00.050");
        builder.UseSetting("Relief:Notifications:RetryDelays:1", "00:00:00.100");
        builder.UseSetting("Relief:Notifications:BusyDelay", "00:00:00.100");
        builder.UseSetting("Relief:Notifications:BreakDuration", "00:00:00.500");
        builder.UseSetting("Relief:Notifications:Timeout", "00:00:15");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IWebhookNameResolver>();
            services.AddSingleton<IWebhookNameResolver, ScriptedNameResolver>();
            services.ConfigureWolverine(opts =>
            {
                opts.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(100);
                opts.Durability.ScheduledJobFirstExecution = TimeSpan.FromMilliseconds(100);
            });
        });
        builder.UseSetting("Relief:RateLimits:PermitLimit", "1000000");
        builder.UseSetting("Relief:RateLimits:Window", "01:00:00");
        // A slot is given back when the response is over, just after the client has it: room for that.
        builder.UseSetting("Relief:RateLimits:ExpensiveReads:PermitLimit", "4");
        builder.ConfigureLogging(logging => logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(
            "Microsoft.AspNetCore.HttpLogging", LogLevel.Warning));
    }

    /// <summary>
    /// Empties what Marten's reset leaves behind in a database: idempotency keys, Wolverine's stored
    /// messages (scheduled deadline checks, webhook deliveries) and the audit chain's own tables (a
    /// truncate passes the append-only trigger of the verified positions).
    /// </summary>
    public static async Task WipeTablesMartenKeeps(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            "truncate relief.idempotency_keys, relief.wolverine_incoming_envelopes, relief.wolverine_outgoing_envelopes, " +
            "relief.wolverine_dead_letters, relief.audit_chain, relief.audit_anchors, relief.audit_verifications");
        await command.ExecuteNonQueryAsync();
    }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        await Receivers.DisposeAsync();
    }
}

/// <summary>The host's clock: whatever fake clock the running test holds (fake clocks only go forward).</summary>
internal sealed class TestClock : TimeProvider
{
    public FakeTimeProvider Current { get; set; } = new(AppFixture.Start);

    public override DateTimeOffset GetUtcNow() => Current.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => Current.LocalTimeZone;

    public override long GetTimestamp() => Current.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Current.CreateTimer(callback, state, dueTime, period);
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "api";
}
