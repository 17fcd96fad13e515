using System.Buffers;
using System.Data;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Audit.Chain;
using Relief.Api.Audit.History;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Audit;
using Wolverine.Http;

namespace Relief.Api.Audit.Export;

/// <summary>
/// Streams chained events as NDJSON straight from an Npgsql reader to the response, one line per
/// event and a manifest line last, without holding the events in memory.
/// </summary>
public sealed class NdjsonExport(NpgsqlDataSource dataSource, string scope, string where, IReadOnlyList<object> parameters,
    bool contiguous) : IResult
{
    private const int FlushEvery = 200;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var token = httpContext.RequestAborted;
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/x-ndjson; charset=utf-8";
        httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"relief-audit-{scope}.ndjson\"";

        var chain = $"{ReliefStore.Schema}.{AuditChainProjection.ChainTable}";
        await using var connection = await dataSource.OpenConnectionAsync(token);
        await using var command = new NpgsqlCommand(
            $"select {StoredEvents.Columns}, c.previous_hash, c.hash from {StoredEvents.Table} e " +
            $"join {chain} c on c.seq_id = e.seq_id where {where} order by e.seq_id", connection);
        foreach (var value in parameters) command.Parameters.AddWithValue(value);

        var body = httpContext.Response.BodyWriter;
        var writer = new Utf8JsonWriter(body);
        long count = 0;
        long? first = null, last = null;
        var finalHash = HashChain.Genesis;
        await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, token))
        {
            while (await reader.ReadAsync(token))
            {
                var e = StoredEvents.Read(reader);
                var previous = reader.GetString(15);
                var hash = reader.GetString(16);
                AuditExport.WriteEvent(writer, e.Chained, previous, hash);
                await writer.FlushAsync(token);
                writer.Reset();
                body.Write("\n"u8);
                count++;
                first ??= e.Sequence;
                last = e.Sequence;
                finalHash = hash;
                if (count % FlushEvery == 0) await body.FlushAsync(token);
            }
        }

        AuditExport.WriteManifest(writer, new ExportManifest(scope, contiguous, count, first, last, finalHash));
        await writer.FlushAsync(token);
        body.Write("\n"u8);
        await body.FlushAsync(token);
    }
}

public static class AuditExportEndpoint
{
    public static ProblemDetails Validate(string? householdId, string? from, string? to, Caller caller, ExpensiveReads expensiveReads,
        HttpContext context)
    {
        var errors = new FieldErrors();
        if (householdId is not null && !Guid.TryParse(householdId, out _)) errors.Add("householdId", "is not a household id.");
        QueryValues.ValidateDate("from", from, errors);
        QueryValues.ValidateDate("to", to, errors);
        if (errors.Any) return errors.ToProblem();
        return caller.Township is not null || caller.Department == Department.Township
            ? Problems.Forbidden("The audit export is county-wide; a township-bound key cannot export.")
            : expensiveReads.Enter(context);
    }

    /// <summary>
    /// The chained events as NDJSON (sequence, stream, type, data as stored, metadata, previous and
    /// own chain hash), then a manifest line (count, last sequence, final hash). Everything, or one
    /// household's events (<c>householdId</c>, as in its history), or those recorded from
    /// <c>from</c> to <c>to</c> (China dates). Check it offline with <c>audit-verify-export</c>.
    /// Events the daemon has not chained yet are left out. Only a few verifications, exports and
    /// reports as known at an instant run at once in a county (2 by default; 429 otherwise).
    /// </summary>
    [WolverineGet("/api/audit/export"), Tags("Audit")]
    [Authorize(Scopes.AuditRead)]
    [Produces("application/x-ndjson")]
    public static IResult Get(string? householdId, string? from, string? to, NpgsqlDataSource dataSource)
    {
        var where = new List<string>();
        var parameters = new List<object>();
        var scope = "all";
        if (householdId is not null)
        {
            var id = Guid.Parse(householdId);
            parameters.Add(id);
            parameters.Add(id.ToString());
            where.Add(EventSql.ConcernsHousehold);
            scope = $"household-{id}";
        }

        if (QueryValues.Date(from) is { } start)
        {
            parameters.Add(start);
            where.Add($"{EventSql.RecordedDate} >= ${parameters.Count}");
            scope += $"-from-{start:yyyy-MM-dd}";
        }

        if (QueryValues.Date(to) is { } end)
        {
            parameters.Add(end);
            where.Add($"{EventSql.RecordedDate} <= ${parameters.Count}");
            scope += $"-to-{end:yyyy-MM-dd}";
        }

        return new NdjsonExport(dataSource, scope, where.Count == 0 ? "true" : string.Join(" and ", where), parameters,
            contiguous: where.Count == 0);
    }
}
