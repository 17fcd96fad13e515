using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Relief.Api.Infrastructure.Idempotency;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>
/// Opens Marten sessions as lightweight sessions, enlisted in the request's own transaction when
/// the request carries an <c>Idempotency-Key</c>. That transaction also stores the key with its
/// response, so the events a request produced and the key that guards them commit together or not
/// at all. A request's sessions are its caller's county's (Wolverine sets the same tenant id from
/// <see cref="CountyTenantDetection"/>; a session resolved any other way in a request gets it here).
/// </summary>
public sealed class RequestSessionFactory(IDocumentStore store, IHttpContextAccessor http) : SessionFactoryBase(store)
{
    public override SessionOptions BuildOptions()
    {
        var transaction = RequestTransaction.Current;
        var options = transaction is null ? new SessionOptions() : SessionOptions.ForTransaction(transaction);
        options.Tracking = DocumentTracking.None;
        var tenant = http.HttpContext?.Features.Get<County>()?.TenantId;
        if (tenant is not null) options.TenantId = tenant;
        return options;
    }
}
