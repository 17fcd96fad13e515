using Npgsql;

namespace Relief.Api.Audit.Chain;

/// <summary>
/// A daily anchor: the chain's last hash on a day (China time, by recorded time). Publishing it
/// (on the weekly report, in minutes, to another department) pins the whole history up to it:
/// nothing recorded up to that day can be altered afterwards without changing it.
/// </summary>
public sealed record AuditAnchor(DateOnly Date, long LastSequence, string Hash, DateTimeOffset RecordedAt);

/// <summary>Reading the daily anchors.</summary>
public static class AuditAnchors
{
    private static string Table => $"{Infrastructure.Persistence.ReliefStore.Schema}.{AuditChainProjection.AnchorTable}";

    /// <summary>
    /// The chain as it stood at the end of <paramref name="date"/>: the anchor of that day, or of the
    /// last earlier day with events; null when nothing was chained by then. For the weekly report,
    /// e.g. <c>await AuditAnchors.ForDate(dataSource, week.Sunday, token)</c>.
    /// </summary>
    public static async Task<AuditAnchor?> ForDate(NpgsqlDataSource dataSource, DateOnly date, CancellationToken token)
    {
        var anchors = await Between(dataSource, null, date, latestOnly: true, token);
        return anchors.Count == 0 ? null : anchors[0];
    }

    /// <summary>The anchors of the days from <paramref name="from"/> to <paramref name="to"/> (inclusive), oldest first.</summary>
    public static Task<List<AuditAnchor>> Between(NpgsqlDataSource dataSource, DateOnly? from, DateOnly? to, CancellationToken token) =>
        Between(dataSource, from, to, latestOnly: false, token);

    private static async Task<List<AuditAnchor>> Between(NpgsqlDataSource dataSource, DateOnly? from, DateOnly? to,
        bool latestOnly, CancellationToken token)
    {
        await using var command = dataSource.CreateCommand(
            $"select day, last_sequence, hash, recorded_at from {Table} " +
            "where ($1::date is null or day >= $1) and ($2::date is null or day <= $2) " +
            (latestOnly ? "order by day desc limit 1" : "order by day"));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)from ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)to ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        var anchors = new List<AuditAnchor>();
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token))
        {
            anchors.Add(new AuditAnchor(reader.GetFieldValue<DateOnly>(0), reader.GetInt64(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return anchors;
    }
}
