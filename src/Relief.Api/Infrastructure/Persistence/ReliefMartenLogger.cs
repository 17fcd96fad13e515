using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>
/// Marten's log, as operators need it. Marten logs every failed command as an error with its SQL
/// and stack trace, once per statement of the failed batch; a stale version or a second writer at a
/// unique index is not a failure but an answered 409, and under contention it buried the real errors
/// (about 1,000 error entries for 217 conflicts in one fault drill). Those are logged as one line at
/// Information; everything else stays an error with its exception. Category <c>Marten.IDocumentStore</c>,
/// as before.
/// </summary>
public sealed partial class ReliefMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    /// <summary>
    /// SQL states of refusals the API answers 409: Marten's stream-version check (MT003), a unique
    /// index (23505: the stream-version key, one resident in one household, unique names) and a
    /// serialization failure (40001).
    /// </summary>
    private static readonly HashSet<string> Conflicts = new(StringComparer.Ordinal) { "MT003", "23505", "40001" };

    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => SchemaChangeApplied(logger, sql);

    public void LogSuccess(NpgsqlCommand command)
    {
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        Failure(ex, string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

    public void LogFailure(Exception ex, string message) => Failure(ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    private void Failure(Exception ex, string sql)
    {
        if (ConflictOf(ex) is { } conflict)
        {
            WriteRefused(logger, conflict);
            return;
        }

        CommandFailed(logger, ex, sql);
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "Schema change applied: {Sql}")]
    private static partial void SchemaChangeApplied(ILogger logger, string sql);

    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "A write was refused by a concurrency check ({Conflict}); it is answered 409")]
    private static partial void WriteRefused(ILogger logger, string conflict);

    [LoggerMessage(EventId = 0, Level = LogLevel.Error, Message = "Marten failed executing {Sql}")]
    private static partial void CommandFailed(ILogger logger, Exception exception, string sql);

    /// <summary>What refused the write, if it is a refusal the API answers 409; otherwise null.</summary>
    public static string? ConflictOf(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case EventStreamUnexpectedMaxEventIdException:
                    return "the stream's version";
                case ConcurrencyException:
                    return "a document's version";
                case PostgresException p:
                    return Conflicts.Contains(p.SqlState) ? $"{p.SqlState} {p.ConstraintName}".TrimEnd() : null;
            }
        }

        return null;
    }
}
