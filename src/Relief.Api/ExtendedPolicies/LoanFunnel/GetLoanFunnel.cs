using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// The loan funnel (金融贷款) now, in households (户), not cases: a family (or a household) counts once,
/// by its latest loan case whose intent was recorded, however many it had. Each such household counts
/// once in <c>intents</c> and once in exactly one of the parts, by that case's stage (a closed case by
/// the stage it closed in; <c>withdrawn</c>: closed before any decision), so
/// <c>intents = awaitingEligibility + eligible + underVerification + granted + ineligible + rejected + withdrawn</c>.
/// <c>needsIdentified</c> counts the households with an open loan need and no intent recorded yet.
/// <c>grantedAmount</c> sums every granted loan.
/// </summary>
public sealed record LoanFunnel(
    DateTimeOffset AsOf,
    string? Township,
    int NeedsIdentified,
    int Intents,
    int AwaitingEligibility,
    int Eligible,
    int UnderVerification,
    int Granted,
    int Ineligible,
    int Rejected,
    int Withdrawn,
    decimal GrantedAmount)
{
    /// <summary>Counts the households of the loan cases given (derived from the case documents, exact as of their reading).</summary>
    public static LoanFunnel Of(IReadOnlyCollection<PolicyCaseDetails> loans, string? township, DateTimeOffset asOf)
    {
        var households = loans.GroupBy(c => c.CaregiverFamilyId ?? c.HouseholdId).ToList();
        var standing = households
            .Select(h => h.Where(c => c.Outcome != CaseStage.NeedIdentified).MaxBy(c => (c.OpenedOn, c.Id)))
            .OfType<PolicyCaseDetails>().ToList();
        int Count(CaseStage stage, bool closed) => standing.Count(c => c.Outcome == stage && (c.Stage == CaseStage.Closed) == closed);
        int Withdrawn(CaseStage stage) => Count(stage, true);
        var needsOnly = households.Count(h => h.All(c => c.Outcome == CaseStage.NeedIdentified) && h.Any(c => c.Open));
        return new LoanFunnel(asOf, township, needsOnly, standing.Count,
            Count(CaseStage.Applied, false), Count(CaseStage.Eligible, false), Count(CaseStage.UnderVerification, false),
            standing.Count(c => c.Outcome == CaseStage.Granted), standing.Count(c => c.Outcome == CaseStage.Ineligible),
            standing.Count(c => c.Outcome == CaseStage.Rejected),
            Withdrawn(CaseStage.Applied) + Withdrawn(CaseStage.Eligible) + Withdrawn(CaseStage.UnderVerification),
            loans.Where(c => c.Outcome == CaseStage.Granted).Sum(c => c.Facts?.Loan?.Amount ?? 0m));
    }
}

public static class GetLoanFunnelEndpoint
{
    /// <summary>Readable with <c>reports:read</c> or <c>households:read</c>; a township key sees its own township only.</summary>
    public static ProblemDetails Validate(string? township, TownshipDirectory townships, Caller caller)
    {
        if (!caller.Has(Scopes.ReportsRead) && !caller.Has(Scopes.HouseholdsRead))
            return Problems.Forbidden($"The loan funnel needs the scope {Scopes.ReportsRead} or {Scopes.HouseholdsRead}.");
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (errors.Any) return errors.ToProblem();
        return TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>The loan funnel as of now: intents, eligibility, verification, grants; <c>township</c> (code or name) filters.</summary>
    [WolverineGet("/api/reports/loan-funnel"), Tags("Extended policies")]
    [Authorize]
    public static async Task<LoanFunnel> Get(string? township, TownshipDirectory townships, Caller caller, IQuerySession session,
        DateTimeOffset now, CancellationToken token)
    {
        var code = township is null ? caller.Township : townships.Find(township)!.Code;
        var query = session.Query<PolicyCaseDetails>().Where(x => x.Policy == ExtendedPolicy.FinancialLoan);
        if (code is not null) query = query.Where(x => x.Township == code);
        return LoanFunnel.Of(await query.ToListAsync(token), code, now);
    }
}
