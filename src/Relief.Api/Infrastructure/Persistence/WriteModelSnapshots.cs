using JasperFx;
using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>
/// Writes the missing snapshot of every stream of the write models the modules named
/// (<see cref="SnapshotBackfillSetup.AddSnapshotBackfill{T}"/>). Those write models became inline
/// snapshots after streams had been recorded without one; such a write model would load as missing,
/// and every write to it would answer 404, until this ran (or a <c>projections rebuild</c>). On a
/// database whose snapshots are complete it is one query per type. Every county's database is
/// visited. It runs once, by <c>backfill-snapshots</c>, never at start-up.
/// </summary>
public sealed partial class WriteModelSnapshots(IDocumentStore store, Counties counties, SnapshotBackfill backfill, ILogger<WriteModelSnapshots> logger)
{
    /// <summary>Backfills every declared write model; answers how many snapshots each got.</summary>
    public async Task<IReadOnlyDictionary<Type, int>> BackfillAllAsync(CancellationToken token)
    {
        var written = new Dictionary<Type, int>();
        foreach (var backfillOne in backfill.Types)
        {
            var (type, count) = await backfillOne(this, token);
            written[type] = count;
        }

        return written;
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
        // A new database has no event tables yet (and so nothing to backfill), an older one no snapshot table.
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

        SnapshotsMissing(logger, missing.Count, typeof(T).Name, county.Code);
        foreach (var id in missing)
        {
            if (county.TenantId is null) await store.Advanced.RebuildSingleStreamAsync<T>(id, token);
            else await store.Advanced.RebuildSingleStreamAsync<T>(id, county.TenantId, token);
        }

        SnapshotsWritten(logger, missing.Count, typeof(T).Name, county.Code);
        return missing.Count;
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Warning,
        Message = "{Count} {Type} streams of county {County} have no stored write model (recorded before it was a snapshot); writing them now")]
    private static partial void SnapshotsMissing(ILogger logger, int count, string type, string county);

    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "Wrote the write model of {Count} {Type} streams of county {County}")]
    private static partial void SnapshotsWritten(ILogger logger, int count, string type, string county);
}

/// <summary>The write models whose snapshots <c>backfill-snapshots</c> completes, as the modules declared them.</summary>
public sealed class SnapshotBackfill
{
    internal List<Func<WriteModelSnapshots, CancellationToken, Task<(Type, int)>>> Types { get; } = [];

    /// <summary>Declares that streams of <typeparamref name="T"/> may lack the snapshot of their write model.</summary>
    public SnapshotBackfill Add<T>() where T : class
    {
        Types.Add(async (snapshots, token) => (typeof(T), await snapshots.BackfillAsync<T>(token)));
        return this;
    }
}

public static class SnapshotBackfillSetup
{
    /// <summary>A module declares that streams of <typeparamref name="T"/> may lack the snapshot of their write model.</summary>
    public static IServiceCollection AddSnapshotBackfill<T>(this IServiceCollection services) where T : class
    {
        var backfill = services.Select(d => d.IsKeyedService ? null : d.ImplementationInstance).OfType<SnapshotBackfill>().SingleOrDefault();
        if (backfill is null)
        {
            services.AddSingleton(backfill = new SnapshotBackfill());
            services.AddSingleton<WriteModelSnapshots>();
        }

        backfill.Add<T>();
        return services;
    }
}

/// <summary>
/// <c>dotnet run -- backfill-snapshots</c>: writes the missing write-model snapshots of streams recorded
/// before their write model was stored (<see cref="WriteModelSnapshots"/>), in every county, and prints
/// how many each type got. Run it once after upgrading a database recorded before then; running it again
/// writes nothing.
/// </summary>
[Description("Write the missing write-model snapshots of streams recorded before the write model was stored", Name = "backfill-snapshots")]
public sealed class BackfillSnapshotsCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var snapshots = host.Services.GetService<WriteModelSnapshots>();
        if (snapshots is null) return true;
        foreach (var (type, written) in await snapshots.BackfillAllAsync(CancellationToken.None))
            Console.WriteLine($"{type.Name}: {written} snapshots written");
        return true;
    }
}
