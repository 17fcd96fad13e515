using Microsoft.AspNetCore.Mvc;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Needs;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Supervision;

/// <summary>The rules of verification rounds (逐户核实).</summary>
public static class VerificationRules
{
    public static ProblemDetails NotFound(Guid roundId) => SupervisionRules.NotFound("verification round", roundId);

    /// <summary><c>{roundId}</c> names a verification round on every write route.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<VerificationRound>("roundId", NotFound);

    /// <summary>403 unless the caller's department owns the policy (as configured): a department verifies its own policies.</summary>
    public static ProblemDetails? MustOwn(ExtendedPolicy policy, Caller caller, OwnershipTable ownership)
    {
        var owners = NeedMeasures.OwnersOf(policy, ownership);
        return owners.Contains(caller.Department)
            ? null
            : Problems.Forbidden($"Only {string.Join(", ", owners)} may verify {policy}; this key is {caller.Department}.");
    }

    /// <summary>403 unless the caller is of the department that opened the round.</summary>
    public static ProblemDetails? OwnRound(VerificationRound round, Caller caller) =>
        round.Department == caller.Department
            ? null
            : Problems.Forbidden($"The round is {round.Department}'s; this key is {caller.Department}.");

    /// <summary>409 once the round is closed: its figures stand.</summary>
    public static ProblemDetails? StillOpen(VerificationRound round) =>
        round.ClosedOn is { } closed
            ? Problems.Conflict(ProblemTypes.RoundClosed, "The verification round is closed.",
                $"Round {round.Id} closed on {closed:yyyy-MM-dd}; its figures stand.")
            : null;

    /// <summary>A date of the round: not before it opened (400).</summary>
    public static void NotBeforeOpening(FieldErrors errors, string field, DateOnly? date, VerificationRound round)
    {
        if (date is { } day && day < round.OpenedOn) errors.Add(field, $"must not be before the round opened ({round.OpenedOn:yyyy-MM-dd}).");
    }
}
