using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Infrastructure.Idempotency;

/// <summary>How long idempotency keys are kept.</summary>
public sealed class IdempotencyOptions
{
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Makes every write that carries an <c>Idempotency-Key</c> safe to retry. Per caller, the first
/// request with a key runs inside one PostgreSQL transaction that also stores the key and the
/// response; a retry with the same body replays that response and writes nothing; the same key
/// with another body is 422; a retry while the first is still running is 409. Only successful
/// (2xx) outcomes are kept: a refused request wrote nothing, so retrying it is harmless.
/// </summary>
public sealed class IdempotencyMiddleware(
    RequestDelegate next,
    IdempotencyStore store,
    TimeProvider clock,
    IOptions<IdempotencyOptions> options)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxKeyLength = 255;

    private static readonly HashSet<string> NotReplayed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Date", "Server", "Transfer-Encoding", "Content-Length", "Connection", CorrelationMiddleware.Header,
    };

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var isWrite = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)
                      || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method);
        // A province-wide route (the county registry's) has no county database to keep the key in.
        if (!isWrite || !request.Headers.TryGetValue(Header, out var values) || context.Features.Get<County>() is null)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < ' ' or > '~') || values.Count > 1)
        {
            var problem = Problems.Validation(new Dictionary<string, string[]>
            {
                [Header] = [$"An {Header} is 1 to {MaxKeyLength} printable ASCII characters, sent once."],
            });
            problem.Type = ProblemTypes.IdempotencyKeyInvalid;
            await ProblemDetailsSetup.WriteAsync(context, problem);
            return;
        }

        var caller = Caller.From(context).Subject;
        var fingerprint = Fingerprint(request, RequestGuardMiddleware.BodyOf(context));
        var token = context.RequestAborted;

        // The caller's county's database: the session that joins this transaction writes there.
        await using var connection = await CountyOf.DataSource(context).OpenConnectionAsync(token);
        await using var tx = await connection.BeginTransactionAsync(token);

        var (locked, stored) = await store.TryTake(tx, caller, key, clock.GetUtcNow(), token);
        if (!locked)
        {
            await ProblemDetailsSetup.WriteAsync(context, new ProblemDetails
            {
                Type = ProblemTypes.IdempotencyInProgress,
                Title = "A request with this Idempotency-Key is still running.",
                Detail = "Wait for it to finish, then retry to receive its response.",
                Status = StatusCodes.Status409Conflict,
            });
            return;
        }

        if (stored is not null)
        {
            await tx.RollbackAsync(token);
            if (stored.Fingerprint != fingerprint)
            {
                await ProblemDetailsSetup.WriteAsync(context, new ProblemDetails
                {
                    Type = ProblemTypes.IdempotencyKeyReused,
                    Title = "This Idempotency-Key was used for another request.",
                    Detail = "The same key came with a different method, path or body. Use a new key for a new request.",
                    Status = StatusCodes.Status422UnprocessableEntity,
                });
                return;
            }

            await Replay(context, stored);
            return;
        }

        await RunAndStore(context, tx, caller, key, fingerprint);
    }

    private async Task RunAndStore(HttpContext context, NpgsqlTransaction tx, string caller, string key, string fingerprint)
    {
        var response = context.Response;
        var originalBody = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            using (RequestTransaction.Enlist(tx))
            {
                await next(context);
            }

            // Commit only what succeeded; the client's disconnect must not undo an acknowledged write.
            if (response.StatusCode is >= 200 and < 300)
            {
                var headers = response.Headers
                    .Where(h => !NotReplayed.Contains(h.Key))
                    .ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray());
                var stored = new StoredResponse(fingerprint, response.StatusCode, headers, buffer.ToArray());
                await store.SaveAndCommit(tx, caller, key, stored, clock.GetUtcNow(), options.Value.Retention, CancellationToken.None);
            }
            else
            {
                await tx.RollbackAsync(CancellationToken.None);
            }
        }
        finally
        {
            response.Body = originalBody;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(originalBody, context.RequestAborted);
    }

    private static async Task Replay(HttpContext context, StoredResponse stored)
    {
        var response = context.Response;
        response.StatusCode = stored.Status;
        foreach (var (name, value) in stored.Headers)
        {
            response.Headers[name] = value;
        }

        response.Headers[ReplayedHeader] = "true";
        await response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    private static string Fingerprint(HttpRequest request, byte[]? body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (body is not null) hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
