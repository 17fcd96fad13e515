using System.Diagnostics;

namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// Gives every request a correlation id: the caller's <c>X-Correlation-Id</c>, else the trace id of
/// its W3C <c>traceparent</c>, else a new one. It is echoed in the response and stamped on every
/// event the request records, and carried by every log line written while the request runs (a
/// logging scope with <c>CorrelationId</c>: a field of the JSON console log and of OTLP logs).
/// </summary>
public sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public const string Header = "X-Correlation-Id";
    public const string ItemKey = "relief.correlation-id";
    private const int MaxLength = 128;

    private static readonly Func<ILogger, string, IDisposable?> CorrelationScope =
        LoggerMessage.DefineScope<string>("CorrelationId:{CorrelationId}");

    public async Task InvokeAsync(HttpContext context)
    {
        var correlation = FromHeader(context) ?? Activity.Current?.TraceId.ToString() ?? Guid.CreateVersion7().ToString("N");
        context.Items[ItemKey] = correlation;
        context.Response.Headers[Header] = correlation;
        using (CorrelationScope(logger, correlation))
        {
            await next(context);
        }
    }

    /// <summary>The correlation id of the current request.</summary>
    public static string? Of(HttpContext context) => context.Items[ItemKey] as string;

    private static string? FromHeader(HttpContext context)
    {
        var value = context.Request.Headers[Header].ToString();
        return value.Length is > 0 and <= MaxLength && value.All(c => c is > ' ' and < (char)127) ? value : null;
    }
}
