using Marten;
using Npgsql;
using Weasel.Postgresql;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>
/// One county at run time: its code, the Marten tenant id its sessions are opened for (null when
/// Relief serves one county from <c>ConnectionStrings:Marten</c>, so sessions open exactly as they always
/// did), and the pooled data source of its database, shared by Marten and Relief's own SQL.
/// </summary>
public sealed record County(string Code, string? TenantId, NpgsqlDataSource DataSource)
{
    /// <summary>The county as a metric tag.</summary>
    public KeyValuePair<string, object?> Tag => new("county", Code);
}

/// <summary>
/// The counties at run time. Every request, background job and command reaches a county's data
/// through here: its Marten sessions (<see cref="LightweightSession"/>) and its data source.
/// </summary>
public sealed class Counties
{
    private readonly CountyDirectory _directory;
    private readonly IDocumentStore _store;
    private readonly Lazy<IReadOnlyList<County>> _all;

    public Counties(CountyDirectory directory, IDocumentStore store, NpgsqlDataSource main)
    {
        _directory = directory;
        _store = store;
        _all = new Lazy<IReadOnlyList<County>>(() => directory.IsMultiCounty
            ? directory.Counties.Select(c => new County(c.Code, c.Code, DataSourceOf(store, c.Code))).ToList()
            : [new County(directory.Default.Code, null, main)]);
    }

    public IReadOnlyList<County> All => _all.Value;

    /// <summary>The county of a credential that names none (an API key without <c>County</c>).</summary>
    public County Default => All[0];

    public bool IsMultiCounty => _directory.IsMultiCounty;

    public County? Find(string code) => All.FirstOrDefault(c => c.Code == code);

    /// <summary>
    /// The county of a message's tenant id. With one county every message is that county's (the
    /// daemon tags its messages with its database's name, which is not a county code then).
    /// </summary>
    public County ForTenant(string? tenantId) =>
        !IsMultiCounty
            ? Default
            : Find(tenantId ?? "") ?? throw new InvalidOperationException($"No county '{tenantId}' is configured.");

    public IDocumentSession LightweightSession(County county) =>
        county.TenantId is null ? _store.LightweightSession() : _store.LightweightSession(county.TenantId);

    public IQuerySession QuerySession(County county) =>
        county.TenantId is null ? _store.QuerySession() : _store.QuerySession(county.TenantId);

    /// <summary>Marten's database of a county (for its daemon's progress, e.g. waiting for it to catch up).</summary>
    public Marten.Storage.IMartenDatabase DatabaseOf(County county) =>
        county.TenantId is null ? _store.Storage.Database : ((DocumentStore)_store).Tenancy.GetTenant(county.TenantId).Database;

    /// <summary>The pool Marten opened for a county's database: Relief's SQL shares it.</summary>
    private static NpgsqlDataSource DataSourceOf(IDocumentStore store, string code) =>
        ((PostgresqlDatabase)((DocumentStore)store).Tenancy.GetTenant(code).Database).DataSource;
}
