using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Relief.Api.Tests.Infrastructure;

public sealed class RequestLogTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_request_writes_one_log_line_carrying_its_correlation_id_and_no_body_or_key()
    {
        using var capture = new CapturingLoggerProvider();
        Host.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);

        var response = await Send(HttpMethod.Post, "/api/households", """{"headName":"张三"}""", Keys.Mucheng,
            headers: new Dictionary<string, string> { ["X-Correlation-Id"] = "log-line-7" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);

        // The request log line is written as the pipeline unwinds; wait for it, bounded.
        var line = await capture.FirstAsync(e => e.Category.EndsWith("HttpLoggingMiddleware", StringComparison.Ordinal)
                                                 && e.Scope.GetValueOrDefault("CorrelationId") as string == "log-line-7");

        Assert.Equal("POST", line.State["Method"]?.ToString());
        Assert.Equal("/api/households", line.State["Path"]?.ToString());
        Assert.Equal(400, line.State["StatusCode"]);
        Assert.DoesNotContain("张三", line.Message);
        Assert.DoesNotContain(Keys.Mucheng, line.Message);
        Assert.DoesNotContain(line.State.Keys, k => k.Contains("Api-Key", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_request_that_fails_on_the_server_is_logged_with_the_500_it_answered()
    {
        using var capture = new CapturingLoggerProvider();
        Host.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        var id = await Api.RegisteredHousehold();
        // A stored view that no longer reads (members is not a list): the read fails on the server.
        await Api.Sql("update relief.mt_doc_householddetails set data = jsonb_set(data, '{members}', '5') where id = $1", id);

        var response = await Send(HttpMethod.Get, $"/api/households/{id}", headers: new Dictionary<string, string> { ["X-Correlation-Id"] = "log-line-500" });
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:relief:problem:internal", problem.GetProperty("type").GetString());
        Assert.Equal("log-line-500", problem.GetProperty("correlationId").GetString());
        Assert.Equal("log-line-500", Assert.Single(response.Headers.GetValues("X-Correlation-Id")));

        var line = await capture.FirstAsync(e => e.Category.EndsWith("HttpLoggingMiddleware", StringComparison.Ordinal)
                                                 && e.Scope.GetValueOrDefault("CorrelationId") as string == "log-line-500");
        Assert.Equal(500, line.State["StatusCode"]);
    }

    private sealed record Entry(string Category, string Message, Dictionary<string, object?> State, Dictionary<string, object?> Scope);

    /// <summary>Keeps what the host logs, with the values of the scopes around each line.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<Entry> _entries = new();
        private readonly SemaphoreSlim _written = new(0);
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        private volatile bool _stopped;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public async Task<Entry> FirstAsync(Func<Entry, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                if (_entries.FirstOrDefault(match) is { } found) return found;
                await _written.WaitAsync(timeout.Token);
            }
        }

        public void Dispose() => _stopped = true;

        private void Write(Entry entry)
        {
            if (_stopped) return;
            _entries.Enqueue(entry);
            _written.Release();
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                provider._scopes.ForEachScope((s, into) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                        foreach (var (key, value) in pairs) into[key] = value;
                }, scope);
                var fields = state is IEnumerable<KeyValuePair<string, object?>> statePairs
                    ? statePairs.ToDictionary(p => p.Key, p => p.Value)
                    : [];
                provider.Write(new Entry(category, formatter(state, exception), fields, scope));
            }
        }
    }
}
