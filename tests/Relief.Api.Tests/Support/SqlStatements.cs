using System.Collections.Concurrent;
using System.Diagnostics;

namespace Relief.Api.Tests.Support;

/// <summary>
/// The SQL statements the host ran for the requests that carry <see cref="TraceParent"/>: Npgsql
/// traces every command as an activity, a child of the request's, so the statements of one request
/// are told apart from the daemon's and other tests' by the trace id. Listening only while it lives.
/// </summary>
public sealed class SqlStatements : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<string> _statements = new();
    private readonly ActivityTraceId _trace = ActivityTraceId.CreateRandom();

    public SqlStatements()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name != "Npgsql" || activity.TraceId != _trace) return;
                var text = activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement");
                _statements.Enqueue(text?.ToString() ?? activity.DisplayName);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The W3C <c>traceparent</c> header that puts a request in this trace.</summary>
    public string TraceParent => $"00-{_trace}-{ActivitySpanId.CreateRandom()}-01";

    /// <summary>The statements run so far under the trace.</summary>
    public IReadOnlyList<string> All => _statements.ToArray();

    public void Dispose() => _listener.Dispose();
}
