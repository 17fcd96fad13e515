using System.Diagnostics;
using System.Globalization;
using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;

namespace Relief.Api.Infrastructure.Errors;

/// <summary>
/// Every error leaves as RFC 9457 problem details with a stable <c>type</c>, the request path as
/// <c>instance</c> and the correlation id; no exception text or stack trace ever leaves the service.
/// </summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddReliefProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Status = status;

            if (string.IsNullOrEmpty(problem.Type) || problem.Type == "about:blank"
                || problem.Type.StartsWith("https://httpstatuses.com/", StringComparison.Ordinal)
                || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                problem.Type = ProblemTypes.ForStatus(status);
            }

            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions.Remove("exception");
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            if (context.HttpContext.Items[CorrelationMiddleware.ItemKey] is string correlation)
            {
                problem.Extensions["correlationId"] = correlation;
                // The exception handler clears the response headers; put the echo back.
                context.HttpContext.Response.Headers[CorrelationMiddleware.Header] = correlation;
            }

            if (DatabaseRefusal(context.Exception) is not null)
            {
                problem.Type = ProblemTypes.DatabaseUnavailable;
                problem.Title = "The county's database accepts no writes for now.";
                problem.Detail = "It is being moved or restarted; nothing was written. Retry after the time in Retry-After.";
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            }
            else if (context.Exception is not null && status >= 500)
            {
                // Never echo an unexpected exception's text: it can carry SQL, paths or personal data.
                problem.Title = "An unexpected error occurred.";
                problem.Detail = "The error has been logged; quote the correlationId when you report it.";
            }

            // Last: the words of the final title and detail, in the language the caller asked for.
            ProblemLanguage.Translate(problem, CultureInfo.CurrentUICulture);
            context.HttpContext.Response.Headers.ContentLanguage =
                ProblemLanguage.IsChinese(CultureInfo.CurrentUICulture) ? ProblemLanguage.Chinese.Name : ProblemLanguage.English.Name;
            context.HttpContext.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        });
        return services;
    }

    public static WebApplication UseReliefProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when DatabaseRefusal(exception) is not null => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        return app;
    }

    private const string RetryAfterSeconds = "5";

    /// <summary>
    /// PostgreSQL's refusal behind an exception, when it is one a retry will get past: a read-only
    /// database (25006, a county being moved) or a session the server ended (57P01–57P03: a move's
    /// freeze, a restart). Null for anything else.
    /// </summary>
    public static Npgsql.PostgresException? DatabaseRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: "25006" or "57P01" or "57P02" or "57P03" } refusal) return refusal;
        }

        return null;
    }

    /// <summary>Writes a problem through the shared problem-details service.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
