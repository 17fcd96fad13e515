using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.ExtendedPolicies.Deadlines;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.ExtendedPolicies;

/// <summary>
/// Decide a loan intent's eligibility on <c>DecidedOn</c>: <c>eligible</c> true (verification comes
/// next) or false with the <c>reason</c>.
/// </summary>
public sealed record DecideLoanEligibility([property: JsonRequired] int Version, [property: Required] bool? Eligible, DateOnly? DecidedOn, [property: MaxLength(500)] string? Reason) : IHasExample<DecideLoanEligibility>
{
    public static DecideLoanEligibility Example { get; } = new(2, true, new DateOnly(2020, 10, 1), null);
}

public static class DecideLoanEligibilityEndpoint
{
    /// <summary>The key of the case's family or household, which seals what is said about them.</summary>
    public static Task<DataProtector> LoadAsync(PolicyCase policyCase, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        vault.ForHousehold(session, policyCase.RecordId, token);

    public static ProblemDetails Validate(DecideLoanEligibility command, PolicyCase policyCase, Caller caller,
        OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.Eligible is null) errors.Add("eligible", "is required.");
        PolicyCaseRules.RequireDate(errors, "decidedOn", command.DecidedOn, now, policyCase);
        if (command.Eligible == false) errors.RequireText("reason", command.Reason, 500);
        else errors.OptionalText("reason", command.Reason, 500);
        return Problems.FirstOf(
            PolicyCaseRules.Access(policyCase.Township, caller),
            PolicyCaseRules.MayHandle(policyCase, caller),
            PolicyCaseRules.MustOwn(policyCase.Policy, caller, ownership),
            PolicyCaseRules.MayMove(policyCase, command.Eligible == false ? CaseStage.Ineligible : CaseStage.Eligible),
            errors.ToProblem());
    }

    [WolverinePost("/api/policy-cases/{caseId}/eligibility"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (CaseSaved, Events, OutgoingMessages) Post(DecideLoanEligibility command, [WriteModel("caseId")] PolicyCase policyCase,
        DataProtector record, Caller caller, ServiceTimes serviceTimes, DateTimeOffset now)
    {
        var on = command.DecidedOn!.Value;
        if (command.Eligible == false)
        {
            return (new CaseSaved(policyCase.Id, CaseStage.Ineligible),
                [new LoanFoundIneligible(policyCase.Id, on, caller.Department,
                    record.SealText(SealedFields.Reason, command.Reason!.Trim()), caller.Organisation)], []);
        }

        var dueOn = serviceTimes.DueOn(CaseStage.Eligible, on);
        return (new CaseSaved(policyCase.Id, CaseStage.Eligible),
            [new LoanFoundEligible(policyCase.Id, on, caller.Department, dueOn, caller.Organisation)],
            CaseDeadlines.For(policyCase.Id, CaseStage.Eligible, dueOn, now));
    }
}
