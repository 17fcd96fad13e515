using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.ExtendedPolicies;

/// <summary>The owning department refuses the measure on <c>RejectedOn</c>, with the reason.</summary>
public sealed record RejectPolicyCase([property: JsonRequired] int Version, DateOnly? RejectedOn, [property: Required, MaxLength(500)] string? Reason) : IHasExample<RejectPolicyCase>
{
    public static RejectPolicyCase Example { get; } = new(2, new DateOnly(2020, 10, 1), "家庭收入超过标准。");
}

public static class RejectPolicyCaseEndpoint
{
    /// <summary>The key of the case's family or household, which seals what is said about them.</summary>
    public static Task<DataProtector> LoadAsync(PolicyCase policyCase, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        vault.ForHousehold(session, policyCase.RecordId, token);

    public static ProblemDetails Validate(RejectPolicyCase command, PolicyCase policyCase, Caller caller,
        OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        PolicyCaseRules.RequireDate(errors, "rejectedOn", command.RejectedOn, now, policyCase);
        errors.RequireText("reason", command.Reason, 500);
        return Problems.FirstOf(
            PolicyCaseRules.Access(policyCase.Township, caller),
            PolicyCaseRules.MayHandle(policyCase, caller),
            PolicyCaseRules.MustOwn(policyCase.Policy, caller, ownership),
            PolicyCaseRules.MayMove(policyCase, CaseStage.Rejected),
            errors.ToProblem());
    }

    [WolverinePost("/api/policy-cases/{caseId}/rejection"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (CaseSaved, Events) Post(RejectPolicyCase command, [WriteModel("caseId")] PolicyCase policyCase, DataProtector record,
        Caller caller) =>
        (new CaseSaved(policyCase.Id, CaseStage.Rejected),
            [new PolicyCaseRejected(policyCase.Id, command.RejectedOn!.Value, caller.Department,
                record.SealText(SealedFields.Reason, command.Reason!.Trim()), caller.Organisation)]);
}
