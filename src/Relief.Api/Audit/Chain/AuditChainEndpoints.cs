using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Audit.Chain;

public static class VerifyChainEndpoint
{
    /// <summary><c>full</c> is <c>true</c> or <c>false</c>; then a slot among the county's expensive reads, or 429.</summary>
    public static ProblemDetails Validate(string? full, ExpensiveReads expensiveReads, HttpContext context)
    {
        var errors = new FieldErrors();
        QueryValues.ValidateBool("full", full, errors);
        return errors.Any ? errors.ToProblem() : expensiveReads.Enter(context);
    }

    /// <summary>
    /// Recomputes the hash chain from the stored events and compares it with the chain written by
    /// the async daemon: <c>valid</c>, or the first broken sequence. It resumes from the last position
    /// a verification found intact (<c>checkedFrom</c>), re-checking that position's own link first, and
    /// hashes only the entries after it (<c>checked</c>); <c>full=true</c> re-verifies everything from
    /// the genesis. A valid answer is recorded as the next verification's starting point. Only a few
    /// verifications, exports and reports as known at an instant run at once in a county (2 by
    /// default; 429 otherwise).
    /// </summary>
    [WolverineGet("/api/audit/verify"), Tags("Audit")]
    [Authorize(Scopes.AuditRead)]
    public static Task<ChainVerification> Get(string? full, NpgsqlDataSource dataSource, Caller caller, DateTimeOffset now,
        CancellationToken token) =>
        ChainVerifier.VerifyAsync(dataSource, QueryValues.Bool(full) == true, caller.Subject, now, token);
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
