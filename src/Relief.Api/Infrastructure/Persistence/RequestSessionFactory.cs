using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Relief.Api.Infrastructure.Idempotency;

namespace Relief.Api.Infrastructure.Persistence;

/// <summary>
/// Opens Marten sessions as lightweight sessions, enlisted in the request's own transaction when
/// the request carries an <c>Idempotency-Key</c>. That transaction also stores the key with its
/// response, so the events a request produced and the key that guards them commit together or not
/// at all.
/// </summary>
public sealed class RequestSessionFactory(IDocumentStore store) : SessionFactoryBase(store)
{
    public override SessionOptions BuildOptions()
    {
        var transaction = RequestTransaction.Current;
        var options = transaction is null ? new SessionOptions() : SessionOptions.ForTransaction(transaction);
        options.Tracking = DocumentTracking.None;
        return options;
    }
}
