using Npgsql;

namespace Relief.Api.Infrastructure.Idempotency;

/// <summary>The PostgreSQL transaction an idempotent request runs in, flowing with the request.</summary>
public static class RequestTransaction
{
    private static readonly AsyncLocal<NpgsqlTransaction?> Ambient = new();

    public static NpgsqlTransaction? Current => Ambient.Value;

    /// <summary>Makes the transaction ambient for the rest of this asynchronous flow.</summary>
    public static IDisposable Enlist(NpgsqlTransaction transaction)
    {
        Ambient.Value = transaction;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Ambient.Value = null;
    }
}
