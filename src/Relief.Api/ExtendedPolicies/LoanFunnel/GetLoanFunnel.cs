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
/// The loan funnel (金融贷款) now. Every loan case whose intent was recorded counts once in
/// <c>intents</c> and once in exactly one of the parts, by its stage (a closed case by the stage it
/// closed in; <c>withdrawn</c>: closed before any decision), so
/// <c>intents = awaitingEligibility + eligible + underVerification + granted + ineligible + rejected + withdrawn</c>.
/// <c>needsIdentified</c> (open loan needs without an intent yet) are not intents.
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
    /// <summary>Counts the loan cases given (derived from the case documents, exact as of their reading).</summary>
    public static LoanFunnel Of(IReadOnlyCollection<PolicyCaseDetails> loans, string? township, DateTimeOffset asOf)
    {
        int Count(CaseStage stage, bool closed) => loans.Count(c => c.Outcome == stage && (c.Stage == CaseStage.Closed) == closed);
        int Withdrawn(CaseStage stage) => Count(stage, true);
        var noIntent = loans.Count(c => c.Outcome == CaseStage.NeedIdentified);
        return new LoanFunnel(asOf, township, Count(CaseStage.NeedIdentified, false), loans.Count - noIntent,
            Count(CaseStage.Applied, false), Count(CaseStage.Eligible, false), Count(CaseStage.UnderVerification, false),
            loans.Count(c => c.Outcome == CaseStage.Granted), loans.Count(c => c.Outcome == CaseStage.Ineligible),
            loans.Count(c => c.Outcome == CaseStage.Rejected),
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
