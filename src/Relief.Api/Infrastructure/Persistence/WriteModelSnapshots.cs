using Marten;
using Marten.Events;
using Relief.Api.Infrastructure.Tenancy;
using Relief.Api.CareCentres;
using Relief.Api.Households;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>
/// Writes the missing snapshot of every household and care-centre stream before the API starts.
/// The two write models became inline snapshots after streams had been recorded without one; such a
/// write model would load as missing, and every write to it would answer 404, until a
/// <c>projections rebuild</c>. On a database whose snapshots are complete this is one query per type.
/// Every county's database is visited.
/// </summary>
public sealed class WriteModelSnapshots(IDocumentStore store, Counties counties, ILogger<WriteModelSnapshots> logger)
    : IHostedLifecycleService
{
    /// <summary>Runs before every hosted service starts, the web server included.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await BackfillAsync<Household>(cancellationToken);
        await BackfillAsync<CareCentre>(cancellationToken);
    }

    /// <summary>Writes the snapshot of each stream of <typeparamref name="T"/> that has none, in every county; answers how many.</summary>
    public async Task<int> BackfillAsync<T>(CancellationToken token) where T : class
    {
        // The stream type and the table as Marten names them, so that renaming a type cannot leave this behind.
        var streamType = ((EventGraph)store.Options.Events).AggregateAliasFor(typeof(T));
        var table = store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
        var written = 0;
        foreach (var county in counties.All) written += await BackfillAsync<T>(county, streamType, table, token);
        return written;
    }

    private async Task<int> BackfillAsync<T>(County county, string streamType, string table, CancellationToken token) where T : class
    {
        // Outside Production this runs before the schema is applied at start-up: a new database has
        // no event tables yet (and so nothing to backfill), an older one no snapshot table.
        await using (var exists = county.DataSource.CreateCommand($"select to_regclass('{ReliefStore.Schema}.mt_streams') is not null"))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(token))!) return 0;
        }

        await counties.DatabaseOf(county).EnsureStorageExistsAsync(typeof(T), token);
        var missing = new List<Guid>();
        await using (var command = county.DataSource.CreateCommand(
                         $"""
                          select s.id from {ReliefStore.Schema}.mt_streams s
                          where s.type = $1
                            and not exists (select 1 from {table} d where d.id = s.id)
                          """))
        {
            command.Parameters.AddWithValue(streamType);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token)) missing.Add(reader.GetGuid(0));
        }

        if (missing.Count == 0) return 0;

        logger.LogWarning("{Count} {Type} streams of county {County} have no stored write model (recorded before it was a snapshot); writing them now",
            missing.Count, typeof(T).Name, county.Code);
        foreach (var id in missing)
        {
            if (county.TenantId is null) await store.Advanced.RebuildSingleStreamAsync<T>(id, token);
            else await store.Advanced.RebuildSingleStreamAsync<T>(id, county.TenantId, token);
        }

        logger.LogInformation("Wrote the write model of {Count} {Type} streams of county {County}", missing.Count, typeof(T).Name, county.Code);
        return missing.Count;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
