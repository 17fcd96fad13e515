using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Npgsql;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Http.Runtime.MultiTenancy;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>
/// Every endpoint parameter of type <see cref="NpgsqlDataSource"/> is the caller's county's data
/// source, resolved per request (Wolverine would otherwise inject the one registered singleton).
/// </summary>
public sealed class CountyDataSourceSource : IVariableSource
{
    public bool Matches(Type type) => type == typeof(NpgsqlDataSource);

    public Variable Create(Type type) =>
        new MethodCall(typeof(CountyOf), nameof(CountyOf.DataSource))
        {
            CommentText = "The caller's county's database, owned by the host: never disposed here",
            DisposalMode = DisposalMode.None,
        }.ReturnVariable!;
}

/// <summary>
/// Every endpoint parameter of type <see cref="TownshipDirectory"/> is the caller's county's
/// townships, resolved per request (<see cref="CountyOf.Townships"/>).
/// </summary>
public sealed class CountyTownshipsSource : IVariableSource
{
    public bool Matches(Type type) => type == typeof(TownshipDirectory);

    public Variable Create(Type type) => new MethodCall(typeof(CountyOf), nameof(CountyOf.Townships)).ReturnVariable!;
}

/// <summary>
/// Every endpoint parameter of type <see cref="PersonalData.PersonalDataVault"/> is the caller's
/// county's vault (its own key ring, or the shared one), resolved per request (<see cref="CountyOf.Vault"/>).
/// </summary>
public sealed class CountyVaultSource : IVariableSource
{
    public bool Matches(Type type) => type == typeof(PersonalData.PersonalDataVault);

    public Variable Create(Type type) => new MethodCall(typeof(CountyOf), nameof(CountyOf.Vault)).ReturnVariable!;
}

/// <summary>
/// Wolverine's tenant id of a request is the caller's county's Marten tenant id, so its sessions
/// open on the county's database and the messages it schedules carry the county.
/// </summary>
public sealed class CountyTenantDetection : ITenantDetection, ISynchronousTenantDetection
{
    public ValueTask<string?> DetectTenant(HttpContext context) => new(DetectTenantSynchronously(context));

    public string? DetectTenantSynchronously(HttpContext context) => context.Features.Get<County>()?.TenantId;
}

public static class CountySetup
{
    /// <summary>The tenant of every endpoint is the caller's county (<see cref="CountyTenantDetection"/>).</summary>
    public static void DetectCountyOfCaller(this WolverineHttpOptions opts) =>
        opts.TenantId.DetectWith(new CountyTenantDetection());
}
