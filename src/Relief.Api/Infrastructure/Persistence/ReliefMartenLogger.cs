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
public sealed class ReliefMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    /// <summary>
    /// SQL states of refusals the API answers 409: Marten's stream-version check (MT003), a unique
    /// index (23505: the stream-version key, one resident in one household, unique names) and a
    /// serialization failure (40001).
    /// </summary>
    private static readonly HashSet<string> Conflicts = new(StringComparer.Ordinal) { "MT003", "23505", "40001" };

    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Schema change applied: {Sql}", sql);

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
            logger.LogInformation("A write was refused by a concurrency check ({SqlState} {Constraint}); it is answered 409",
                conflict.SqlState, conflict.ConstraintName);
            return;
        }

        logger.LogError(ex, "Marten failed executing {Sql}", sql);
    }

    /// <summary>The PostgreSQL refusal behind <paramref name="ex"/>, if it is one the API answers 409.</summary>
    public static PostgresException? ConflictOf(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is PostgresException p) return Conflicts.Contains(p.SqlState) ? p : null;
        }

        return null;
    }
}
