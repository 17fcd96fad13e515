using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.ExtendedPolicies.Deadlines;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.ExtendedPolicies;

/// <summary>Record that the family or household applied (a loan: the intent), after the need was identified.</summary>
public sealed record ApplyForPolicy([property: JsonRequired] int Version, DateOnly? AppliedOn) : IHasExample<ApplyForPolicy>
{
    public static ApplyForPolicy Example { get; } = new(1, new DateOnly(2020, 10, 1));
}

/// <summary>What a move of a policy case answers: its new stage and version.</summary>
public sealed record CaseSaved(Guid CaseId, CaseStage Stage) : IStreamVersioned<CaseSaved>, IHasExample<CaseSaved>
{
    public static CaseSaved Example { get; } = new(ExampleIds.Case, CaseStage.Eligible) { Version = 3 };

    public int Version { get; init; }

    public CaseSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(CaseId) };
}

public static class ApplyForPolicyEndpoint
{
    public static ProblemDetails Validate(ApplyForPolicy command, PolicyCase policyCase, Caller caller, OwnershipTable ownership,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        PolicyCaseRules.RequireDate(errors, "appliedOn", command.AppliedOn, now, policyCase);
        return Problems.FirstOf(
            PolicyCaseRules.Access(policyCase.Township, caller),
            PolicyCaseRules.MayHandle(policyCase, caller),
            PolicyCaseRules.MayOpen(policyCase.Policy, caller, ownership),
            PolicyCaseRules.MayMove(policyCase, CaseStage.Applied),
            errors.ToProblem());
    }

    [WolverinePost("/api/policy-cases/{caseId}/application"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (CaseSaved, Events, OutgoingMessages) Post(ApplyForPolicy command, [WriteModel("caseId")] PolicyCase policyCase,
        Caller caller, ServiceTimes serviceTimes, DateTimeOffset now)
    {
        var dueOn = serviceTimes.DueOn(CaseStage.Applied, command.AppliedOn!.Value);
        return (new CaseSaved(policyCase.Id, CaseStage.Applied),
            [new PolicyApplied(policyCase.Id, command.AppliedOn.Value, caller.Department, dueOn)],
            CaseDeadlines.For(policyCase.Id, CaseStage.Applied, dueOn, now));
    }
}
