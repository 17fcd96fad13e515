using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Audit.Chain;

public static class VerifyChainEndpoint
{
    /// <summary>
    /// Recomputes the hash chain from the stored events and compares it with the chain written by
    /// the async daemon: <c>valid</c>, or the first broken sequence.
    /// </summary>
    [WolverineGet("/api/audit/verify"), Tags("Audit")]
    [Authorize(Scopes.AuditRead)]
    public static Task<ChainVerification> Get(NpgsqlDataSource dataSource, CancellationToken token) =>
        ChainVerifier.VerifyAsync(dataSource, token);
}

public static class ListAnchorsEndpoint
{
    public static ProblemDetails Validate(string? from, string? to)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateDate("from", from, errors);
        QueryValues.ValidateDate("to", to, errors);
        return errors.Any ? errors.ToProblem() : WolverineContinue.NoProblems;
    }

    /// <summary>The daily anchors (the chain's last hash of each day, China time), oldest first; <c>from</c>/<c>to</c> narrow the days.</summary>
    [WolverineGet("/api/audit/anchors"), Tags("Audit")]
    [Authorize(Scopes.AuditRead)]
    public static Task<List<AuditAnchor>> Get(string? from, string? to, NpgsqlDataSource dataSource, CancellationToken token) =>
        AuditAnchors.Between(dataSource, QueryValues.Date(from), QueryValues.Date(to), token);
}
