using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Json;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Spreadsheets;

namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// Holds every request body to the contract before a handler sees it: at most 256 KiB (413),
/// JSON only (415), well-formed, at most 32 levels deep, no <c>\u0000</c> and no lone surrogates
/// in any string (PostgreSQL's jsonb would refuse them), and bindable to the endpoint's request type
/// with field-level errors (400). The checked bytes are kept for the idempotency fingerprint. A body
/// without a Content-Length (chunked, or HTTP/2 and HTTP/3 frames) is held to the same checks. An
/// endpoint marked <see cref="BrowserForm"/> takes a form instead of JSON, within the same size limit.
/// A spreadsheet upload route (<see cref="SpreadsheetUploadAttribute"/>) takes a CSV or XLSX file of
/// at most 2 MiB instead of JSON.
/// </summary>
public sealed class RequestGuardMiddleware(RequestDelegate next)
{
    public const string BodyItemKey = "relief.request-body";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var upload = context.GetEndpoint()?.Metadata.GetMetadata<SpreadsheetUploadAttribute>() is not null;
        if (upload && request.ContentLength == 0)
        {
            await Reject(context, UploadedFile.Unreadable("The body is empty; send the spreadsheet."));
            return;
        }

        if (!MayHaveBody(request))
        {
            await next(context);
            return;
        }

        var limit = upload ? SpreadsheetUploadAttribute.MaxBytes : RequestLimits.MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            await Reject(context, TooLarge(limit));
            return;
        }

        // Read whatever came, however it came: with a Content-Length, chunked (HTTP/1.1), or as the
        // frames of an HTTP/2 or HTTP/3 stream, which announce neither. Never more than the limit.
        var body = await ReadLimited(request.Body, limit, context.RequestAborted);
        if (body is null)
        {
            await Reject(context, TooLarge(limit));
            return;
        }

        if (upload)
        {
            await Upload(context, body);
            return;
        }

        if (body.Length == 0)
        {
            request.Body = new MemoryStream(body, writable: false);
            request.ContentLength = 0;
            await next(context);
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<BrowserForm>() is not null)
        {
            if (!BrowserForm.IsForm(request.ContentType))
            {
                await Reject(context, new ProblemDetails
                {
                    Type = ProblemTypes.UnsupportedMediaType,
                    Title = "Only a form is accepted.",
                    Detail = $"Send the body as {BrowserForm.MediaType}; '{request.ContentType}' is not accepted.",
                    Status = StatusCodes.Status415UnsupportedMediaType,
                });
                return;
            }

            request.Body = new MemoryStream(body, writable: false);
            request.ContentLength = body.Length;
            await next(context);
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

    /// <summary>
    /// A spreadsheet upload: the file is found in the body (raw CSV or XLSX, or one file of a form)
    /// and kept for the route; the idempotency fingerprint covers the file, not the form around it.
    /// </summary>
    private async Task Upload(HttpContext context, byte[] body)
    {
        var (file, problem) = body.Length == 0
            ? (null, UploadedFile.Unreadable("The body is empty; send the spreadsheet."))
            : await UploadedFile.FindAsync(context.Request.ContentType, body, context.RequestAborted);
        if (file is null)
        {
            await Reject(context, problem!);
            return;
        }

        file.Keep(context);
        context.Items[BodyItemKey] = file.Fingerprint();
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        await next(context);
    }

    /// <summary>The checked request body, where the request had one.</summary>
    public static byte[]? BodyOf(HttpContext context) => context.Items[BodyItemKey] as byte[];

    /// <summary>
    /// A write that does not say its body is empty. A missing Content-Length is no proof of an empty
    /// body: a chunked or HTTP/2 body has none, so it is read and checked like any other.
    /// </summary>
    private static bool MayHaveBody(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)
         || HttpMethods.IsDelete(request.Method))
        && request.ContentLength != 0;

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<byte[]?> ReadLimited(Stream body, int limit, CancellationToken token)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, token)) > 0)
        {
            if (buffer.Length + read > limit) return null;
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
                ? Problems.Validation(
                    new Dictionary<string, string[]> { ["body"] = ["must be a JSON object, not null."] },
                    "The body does not match the request's shape.")
                : null;
        }
        catch (JsonException e)
        {
            return Problems.Validation(JsonBodyCheck.ErrorsOf(e), "The body does not match the request's shape.");
        }
    }

    private static ProblemDetails TooLarge(int limit) => new()
    {
        Type = ProblemTypes.PayloadTooLarge,
        Title = "The body is too large.",
        Detail = $"Bodies are limited to {limit / 1024} KiB; split the upload.",
        Status = StatusCodes.Status413PayloadTooLarge,
    };

    private static Task Reject(HttpContext context, ProblemDetails problem) =>
        ProblemDetailsSetup.WriteAsync(context, problem);
}
