using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Json;
using Relief.Api.Infrastructure.Problems;

namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// Holds every request body to the contract before a handler sees it: at most 256 KiB (413),
/// JSON only (415), well-formed, at most 32 levels deep, no <c>\u0000</c> and no lone surrogates
/// in any string (PostgreSQL's jsonb would refuse them), and bindable to the endpoint's request type
/// with field-level errors (400). The checked bytes are kept for the idempotency fingerprint.
/// </summary>
public sealed class RequestGuardMiddleware(RequestDelegate next)
{
    public const string BodyItemKey = "relief.request-body";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HasBody(request))
        {
            await next(context);
            return;
        }

        if (request.ContentLength > RequestLimits.MaxBodyBytes)
        {
            await Reject(context, TooLarge());
            return;
        }

        if (!IsJson(request.ContentType))
        {
            await Reject(context, new ProblemDetails
            {
                Type = ProblemTypes.UnsupportedMediaType,
                Title = "Only JSON is accepted.",
                Detail = $"Send the body as application/json; '{request.ContentType}' is not accepted.",
                Status = StatusCodes.Status415UnsupportedMediaType,
            });
            return;
        }

        var body = await ReadLimited(request.Body, context.RequestAborted);
        if (body is null)
        {
            await Reject(context, TooLarge());
            return;
        }

        var problem = JsonBodyCheck.Check(body) ?? BindCheck(context, body);
        if (problem is not null)
        {
            await Reject(context, problem);
            return;
        }

        context.Items[BodyItemKey] = body;
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next(context);
    }

    /// <summary>The checked request body, where the request had one.</summary>
    public static byte[]? BodyOf(HttpContext context) => context.Items[BodyItemKey] as byte[];

    private static bool HasBody(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)
         || HttpMethods.IsDelete(request.Method))
        && (request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0));

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<byte[]?> ReadLimited(Stream body, CancellationToken token)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, token)) > 0)
        {
            if (buffer.Length + read > RequestLimits.MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemDetails? BindCheck(HttpContext context, byte[] body)
    {
        var requestType = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (requestType is null) return null;

        try
        {
            // A literal null binds without error, but no endpoint can decide on a missing command.
            return JsonSerializer.Deserialize(body, requestType, ReliefJson.Api) is null
                ? Problems.Problems.Validation(
                    new Dictionary<string, string[]> { ["body"] = ["must be a JSON object, not null."] },
                    "The body does not match the request's shape.")
                : null;
        }
        catch (JsonException e)
        {
            return Problems.Problems.Validation(JsonBodyCheck.ErrorsOf(e), "The body does not match the request's shape.");
        }
    }

    private static ProblemDetails TooLarge() => new()
    {
        Type = ProblemTypes.PayloadTooLarge,
        Title = "The body is too large.",
        Detail = $"Bodies are limited to {RequestLimits.MaxBodyBytes / 1024} KiB; split the upload.",
        Status = StatusCodes.Status413PayloadTooLarge,
    };

    private static Task Reject(HttpContext context, ProblemDetails problem) =>
        ProblemDetailsSetup.WriteAsync(context, problem);
}
