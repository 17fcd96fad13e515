using Marten;
using Npgsql;
using Relief.Api.Infrastructure.Security;
using Weasel.Postgresql;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>
/// One county at run time: its code, the Marten tenant id its sessions are opened for (null when
/// Relief serves one county from <c>ConnectionStrings:Marten</c>, so sessions open exactly as they always
/// did), the pooled data source of its database, shared by Marten and Relief's own SQL, and its
/// townships (its own list in the registry, else <c>Relief:Townships</c>). A
/// <see cref="Retired"/> county (registry only) keeps its data and answers reads, and refuses writes.
/// </summary>
public sealed record County(string Code, string? TenantId, NpgsqlDataSource DataSource, TownshipDirectory Townships)
{
    /// <summary>Retired from the county registry: its data is kept and read, no write is accepted.</summary>
    public bool Retired { get; init; }

    /// <summary>The county's name (武陟县), as configured or registered; its code when none was given.</summary>
    public string Name { get; init; } = Code;

    /// <summary>The county as a metric tag.</summary>
    public KeyValuePair<string, object?> Tag => new("county", Code);
}

/// <summary>
/// The counties at run time. Every request, background job and command reaches a county's data
/// through here: its Marten sessions (<see cref="LightweightSession"/>) and its data source. With
/// one county or configured counties the list is fixed at start-up; with the county registry
/// (<see cref="CountyRegistry"/>) it is what the registry holds, read again when a caller names a
/// county this node does not know yet, after every change made here, and every
/// <see cref="CountyRegistryOptions.RefreshInterval"/> (what another node changed).
/// </summary>
public sealed class Counties
{
    private readonly CountyDirectory _directory;
    private readonly IDocumentStore _store;
    private readonly NpgsqlDataSource _main;
    private readonly TownshipDirectory _configuredTownships;

    public Counties(CountyDirectory directory, IDocumentStore store, NpgsqlDataSource main, ConfiguredTownships townships)
    {
        _directory = directory;
        _store = store;
        _main = main;
        _configuredTownships = townships.Directory;
    }

    /// <summary>The counties served (the registry's as last read: <see cref="RefreshAsync"/>).</summary>
    public IReadOnlyList<County> All
    {
        get => field ??= _directory.IsRegistry
            ? ReadRegistry().GetAwaiter().GetResult()
            : _directory.IsMultiCounty
                ? _directory.Counties.Select(c => new County(c.Code, c.Code, DataSourceOf(_store, c.Code), _configuredTownships) { Name = c.Name ?? c.Code }).ToList()
                : [new County(_directory.Default.Code, null, _main, _configuredTownships) { Name = _directory.Default.Name ?? _directory.Default.Code }];
        private set;
    }

    /// <summary>The county of a credential that names none (an API key without <c>County</c>); null when there is none.</summary>
    public County? DefaultOrNone => _directory.IsRegistry
        ? (_directory.RegistryDefault is { } code ? Find(code) : null)
        : All[0];

    /// <summary>The county of a credential that names none; fails in a registry without a default county.</summary>
    public County Default => DefaultOrNone
        ?? throw new InvalidOperationException(
            $"No default county: set {CountyRegistryOptions.Section}:DefaultCounty to a registered county, or name the county.");

    public bool IsMultiCounty => _directory.IsMultiCounty;

    /// <summary>Whether the counties are data (Marten's master table) rather than configuration.</summary>
    public bool IsRegistry => _directory.IsRegistry;

    public County? Find(string code) => All.FirstOrDefault(c => c.Code == code);

    /// <summary>The counties served that a region covers, in code order (retired ones too: their data is still read).</summary>
    public IReadOnlyList<County> In(Region region) => [.. All.Where(c => region.Covers(c.Code)).OrderBy(c => c.Code, StringComparer.Ordinal)];

    /// <summary>
    /// The county of a code; with the registry, a county this node has not seen yet (added on
    /// another node, or since the last read) is looked for once more in the registry.
    /// </summary>
    public async ValueTask<County?> FindAsync(string code, CancellationToken token = default)
    {
        var county = Find(code);
        if (county is not null || !IsRegistry || !CountyDirectory.IsCountyCode(code)) return county;
        await RefreshAsync(token);
        return Find(code);
    }

    /// <summary>
    /// The county of a message's tenant id. With one county every message is that county's (the
    /// daemon tags its messages with its database's name, which is not a county code then).
    /// </summary>
    public async ValueTask<County> ForTenantAsync(string? tenantId, CancellationToken token = default) =>
        !IsMultiCounty
            ? Default
            : await FindAsync(tenantId ?? "", token) ?? throw new InvalidOperationException($"No county '{tenantId}' is served here.");

    /// <summary>Reads the registry again (nothing to do when the counties are configuration).</summary>
    public async Task RefreshAsync(CancellationToken token = default)
    {
        // Two refreshes at once each read the whole registry; the last one read wins.
        if (IsRegistry) All = await ReadRegistry(token);
    }

    public IDocumentSession LightweightSession(County county) =>
        county.TenantId is null ? _store.LightweightSession() : _store.LightweightSession(county.TenantId);

    public IQuerySession QuerySession(County county) =>
        county.TenantId is null ? _store.QuerySession() : _store.QuerySession(county.TenantId);

    /// <summary>Marten's database of a county (for its daemon's progress, e.g. waiting for it to catch up).</summary>
    public Marten.Storage.IMartenDatabase DatabaseOf(County county) =>
        county.TenantId is null ? _store.Storage.Database : ((DocumentStore)_store).Tenancy.GetTenant(county.TenantId).Database;

    /// <summary>The registry's counties, each on the pool Marten opened for its database.</summary>
    private async Task<IReadOnlyList<County>> ReadRegistry(CancellationToken token = default)
    {
        // Marten's master table first (created on first use), then Relief's rows beside it.
        await ((Marten.Storage.MasterTableTenancy)_store.Options.Tenancy).BuildDatabases();
        var entries = await CountyRegistry.ReadAsync(_main, token);
        var counties = new List<County>();
        foreach (var entry in entries)
        {
            var tenant = await ((DocumentStore)_store).Tenancy.GetTenantAsync(entry.Code);
            var townships = entry.Townships.Count > 0 ? new TownshipDirectory(entry.Townships) : _configuredTownships;
            counties.Add(new County(entry.Code, entry.Code, ((PostgresqlDatabase)tenant.Database).DataSource, townships)
            {
                Retired = entry.RetiredAt is not null,
                Name = entry.Name,
            });
        }

        return counties;
    }

    /// <summary>The pool Marten opened for a county's database: Relief's SQL shares it.</summary>
    private static NpgsqlDataSource DataSourceOf(IDocumentStore store, string code) =>
        ((PostgresqlDatabase)((DocumentStore)store).Tenancy.GetTenant(code).Database).DataSource;
}
