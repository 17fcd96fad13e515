namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// The headers every answer carries, whatever answered it (an endpoint, the problem-details handler,
/// authentication, Swagger): <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: no-referrer</c>,
/// <c>X-Frame-Options: DENY</c>, and a Content-Security-Policy under which nothing loads and nothing
/// frames the answer, unless the answer set a policy of its own (the printable report, Swagger UI).
/// Every answer under <c>/api</c> may carry personal data: it is <c>Cache-Control: no-store</c>, so that
/// no browser or proxy keeps a copy; other answers get the same unless they say how they are cached.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy of an answer that is not a page: it loads nothing and nothing frames it.</summary>
    public const string DefaultPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static WebApplication UseReliefSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy)) headers.ContentSecurityPolicy = DefaultPolicy;
        if (context.Request.Path.StartsWithSegments("/api") || string.IsNullOrEmpty(headers.CacheControl))
        {
            headers.CacheControl = "no-store";
        }
    }
}
