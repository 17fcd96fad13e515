using JasperFx;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.Errors;

/// <summary>
/// A unique index that refused a write — two concurrent requests recorded the same thing, and
/// the loser's check ran before the winner committed — is a 409, never a 500. Marten reports
/// any unique violation as <see cref="DocumentAlreadyExistsException"/>.
/// </summary>
public static class UniqueConflictMiddleware
{
    public static bool AppliesTo(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE");

    public static ProblemDetails OnException(DocumentAlreadyExistsException e)
    {
        var constraint = (e.InnerException as PostgresException)?.ConstraintName ?? "";
        if (constraint.Contains("activeresident", StringComparison.OrdinalIgnoreCase))
            return Problems.Conflict(ProblemTypes.DuplicateResident, "The resident ID is active in another household.",
                "A concurrent request recorded the same resident ID first; read the households again.");
        if (constraint.Contains("openkey", StringComparison.OrdinalIgnoreCase))
            return Problems.Conflict(ProblemTypes.CaseAlreadyOpen, "A case of this policy is already open.",
                "A concurrent request opened a case of this policy for the same family or household first; read its cases.");
        return Problems.Conflict(ProblemTypes.Conflict, "A concurrent request recorded the same thing first.",
            "Read the current state and retry if the change still applies.");
    }
}
