using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// Grant the measure on <c>GrantedOn</c> (for assistance: delivered), with the facts of the case's
/// policy and no other: <c>post</c> for a public-welfare post, <c>business</c> for entrepreneurship,
/// <c>loan</c> for a loan, <c>assistance</c> for medical, social or charity assistance.
/// </summary>
public sealed record GrantPolicy(
    [property: JsonRequired] int Version,
    DateOnly? GrantedOn,
    PostInput? Post,
    BusinessSupportInput? Business,
    LoanInput? Loan,
    AssistanceInput? Assistance) : IHasExample<GrantPolicy>
{
    public static GrantPolicy Example { get; } = new(3, new DateOnly(2020, 10, 1), null, null, new LoanInput(50000m, "武陟县农村商业银行", 36), null);
}

/// <summary>A public-welfare post: the post, the employer, the monthly pay (yuan), from <c>startsOn</c> to <c>endsOn</c> (optional).</summary>
public sealed record PostInput(string? Post, string? Employer, decimal? MonthlyPay, DateOnly? StartsOn, DateOnly? EndsOn);

/// <summary>Entrepreneurship: the project, the support given, and its value in yuan if it is money.</summary>
public sealed record BusinessSupportInput(string? Project, string? Support, decimal? Amount);

/// <summary>A loan: amount (yuan), bank, term in months.</summary>
public sealed record LoanInput(decimal? Amount, string? Bank, int? TermMonths);

/// <summary>Assistance: kind (social: MinimumLivingAllowance, ExtremePovertySupport or TemporaryAid), amount (yuan), date given.</summary>
public sealed record AssistanceInput(string? Kind, decimal? Amount, DateOnly? GivenOn);

public static class GrantPolicyEndpoint
{
    public const decimal MaxAmount = 10_000_000m;

    public static ProblemDetails Validate(GrantPolicy command, PolicyCase policyCase, Caller caller, OwnershipTable ownership,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        PolicyCaseRules.RequireDate(errors, "grantedOn", command.GrantedOn, now, policyCase);
        ValidateFacts(command, policyCase.Policy, errors);
        return Problems.FirstOf(
            PolicyCaseRules.Access(policyCase.Township, caller),
            PolicyCaseRules.MayHandle(policyCase, caller),
            PolicyCaseRules.MustOwn(policyCase.Policy, caller, ownership),
            PolicyCaseRules.MayMove(policyCase, CaseStage.Granted),
            errors.ToProblem());
    }

    /// <summary>The part named by the case's policy is required and checked; any other part is refused.</summary>
    public static void ValidateFacts(GrantPolicy command, ExtendedPolicy policy, FieldErrors errors)
    {
        var expected = FactsField(policy);
        foreach (var (field, given) in new (string, object?)[]
                 {
                     ("post", command.Post), ("business", command.Business), ("loan", command.Loan), ("assistance", command.Assistance),
                 })
        {
            if (field == expected && given is null) errors.Add(field, $"is required for a {policy} case.");
            if (field != expected && given is not null) errors.Add(field, $"does not apply to a {policy} case; send '{expected}'.");
        }

        if (command.Post is { } post)
        {
            errors.RequireText("post.post", post.Post, 100);
            errors.RequireText("post.employer", post.Employer, 200);
            Amount(errors, "post.monthlyPay", post.MonthlyPay, positive: true);
            if (post.StartsOn is null) errors.Add("post.startsOn", "is required.");
            if (post.EndsOn is { } ends && post.StartsOn is { } starts && ends < starts) errors.Add("post.endsOn", "must not be before startsOn.");
        }

        if (command.Business is { } business)
        {
            errors.RequireText("business.project", business.Project, 200);
            errors.RequireText("business.support", business.Support, 500);
            if (business.Amount is not null) Amount(errors, "business.amount", business.Amount, positive: false);
        }

        if (command.Loan is { } loan)
        {
            Amount(errors, "loan.amount", loan.Amount, positive: true);
            errors.RequireText("loan.bank", loan.Bank, 100);
            if (loan.TermMonths is null) errors.Add("loan.termMonths", "is required.");
            else if (loan.TermMonths is < 1 or > 360) errors.Add("loan.termMonths", "is a whole number of months from 1 to 360.");
        }

        if (command.Assistance is { } assistance)
        {
            if (policy == ExtendedPolicy.SocialAssistance)
            {
                if (assistance.Kind is null) errors.Add("assistance.kind", "is required.");
                else if (!Enum.TryParse<SocialAssistanceKind>(assistance.Kind, false, out var kind) || !Enum.IsDefined(kind)
                         || char.IsDigit(assistance.Kind[0]))
                    errors.Add("assistance.kind", $"is one of {string.Join(", ", Enum.GetNames<SocialAssistanceKind>())}.");
            }
            else errors.RequireText("assistance.kind", assistance.Kind, 100);

            Amount(errors, "assistance.amount", assistance.Amount, positive: true);
            if (assistance.GivenOn is null) errors.Add("assistance.givenOn", "is required.");
        }
    }

    private static string FactsField(ExtendedPolicy policy) => policy switch
    {
        ExtendedPolicy.PublicWelfarePost => "post",
        ExtendedPolicy.Entrepreneurship => "business",
        ExtendedPolicy.FinancialLoan => "loan",
        _ => "assistance",
    };

    private static void Amount(FieldErrors errors, string field, decimal? amount, bool positive)
    {
        if (amount is null) errors.Add(field, "is required.");
        else if (amount < 0 || (positive && amount == 0) || amount > MaxAmount || decimal.Round(amount.Value, 2) != amount)
            errors.Add(field, $"is an amount in yuan{(positive ? " above 0" : "")}, at most {MaxAmount} with at most 2 decimals.");
    }

    [WolverinePost("/api/policy-cases/{caseId}/grant"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (CaseSaved, Events) Post(GrantPolicy command, [WriteModel("caseId")] PolicyCase policyCase, Caller caller) =>
        (new CaseSaved(policyCase.Id, CaseStage.Granted),
            [new PolicyGranted(policyCase.Id, command.GrantedOn!.Value, caller.Department, FactsOf(command), caller.Organisation)]);

    private static GrantFacts FactsOf(GrantPolicy command) => new(
        command.Post is { } p ? new PostFacts(p.Post!.Trim(), p.Employer!.Trim(), p.MonthlyPay!.Value, p.StartsOn!.Value, p.EndsOn) : null,
        command.Business is { } b ? new BusinessSupportFacts(b.Project!.Trim(), b.Support!.Trim(), b.Amount) : null,
        command.Loan is { } l ? new LoanFacts(l.Amount!.Value, l.Bank!.Trim(), l.TermMonths!.Value) : null,
        command.Assistance is { } a ? new AssistanceFacts(a.Kind!.Trim(), a.Amount!.Value, a.GivenOn!.Value) : null);
}
