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

/// <summary>
/// Close a case on <c>ClosedOn</c>: after its outcome (a post ended, a loan repaid, aid paid out), or
/// before it, withdrawn, when <c>note</c> says why (required then).
/// </summary>
public sealed record ClosePolicyCase([property: JsonRequired] int Version, DateOnly? ClosedOn, [property: MaxLength(500)] string? Note) : IHasExample<ClosePolicyCase>
{
    public static ClosePolicyCase Example { get; } = new(4, new DateOnly(2020, 10, 1), "贷款已发放，案件结案。");
}

public static class ClosePolicyCaseEndpoint
{
    /// <summary>The key of the case's family or household, which seals what is said about them.</summary>
    public static Task<DataProtector> LoadAsync(PolicyCase policyCase, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        vault.ForHousehold(session, policyCase.RecordId, token);

    /// <summary>An owner closes a decided case; an open one may also be withdrawn by the poverty office or a township.</summary>
    public static ProblemDetails Validate(ClosePolicyCase command, PolicyCase policyCase, Caller caller,
        OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        PolicyCaseRules.RequireDate(errors, "closedOn", command.ClosedOn, now, policyCase);
        if (PolicyCaseRules.IsOpen(policyCase.Stage)) errors.RequireText("note", command.Note, 500);
        else errors.OptionalText("note", command.Note, 500);
        return Problems.FirstOf(
            PolicyCaseRules.Access(policyCase.Township, caller),
            PolicyCaseRules.MayHandle(policyCase, caller),
            PolicyCaseRules.IsOpen(policyCase.Stage)
                ? PolicyCaseRules.MayOpen(policyCase.Policy, caller, ownership)
                : PolicyCaseRules.MustOwn(policyCase.Policy, caller, ownership),
            PolicyCaseRules.MayMove(policyCase, CaseStage.Closed),
            errors.ToProblem());
    }

    [WolverinePost("/api/policy-cases/{caseId}/closure"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (CaseSaved, Events) Post(ClosePolicyCase command, [WriteModel("caseId")] PolicyCase policyCase, DataProtector record,
        Caller caller) =>
        (new CaseSaved(policyCase.Id, CaseStage.Closed),
            [new PolicyCaseClosed(policyCase.Id, command.ClosedOn!.Value, caller.Department,
                record.SealText(SealedFields.Note, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim()), caller.Organisation)]);
}
