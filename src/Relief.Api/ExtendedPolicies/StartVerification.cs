using Relief.Api.Infrastructure.OpenApi;
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

/// <summary>The owning department starts verifying the case on <c>StartedOn</c> (逐户核实).</summary>
public sealed record StartVerification([property: JsonRequired] int Version, DateOnly? StartedOn) : IHasExample<StartVerification>
{
    public static StartVerification Example { get; } = new(3, new DateOnly(2020, 10, 1));
}

public static class StartVerificationEndpoint
{
    public static ProblemDetails Validate(StartVerification command, PolicyCase policyCase, Caller caller,
        OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        PolicyCaseRules.RequireDate(errors, "startedOn", command.StartedOn, now, policyCase);
        return Problems.FirstOf(
            PolicyCaseRules.Access(policyCase.Township, caller),
            PolicyCaseRules.MayHandle(policyCase, caller),
            PolicyCaseRules.MustOwn(policyCase.Policy, caller, ownership),
            PolicyCaseRules.MayMove(policyCase, CaseStage.UnderVerification),
            errors.ToProblem());
    }

    [WolverinePost("/api/policy-cases/{caseId}/verification"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (CaseSaved, Events, OutgoingMessages) Post(StartVerification command, [WriteModel("caseId")] PolicyCase policyCase,
        Caller caller, ServiceTimes serviceTimes, DateTimeOffset now)
    {
        var dueOn = serviceTimes.DueOn(CaseStage.UnderVerification, command.StartedOn!.Value);
        return (new CaseSaved(policyCase.Id, CaseStage.UnderVerification),
            [new VerificationStarted(policyCase.Id, command.StartedOn.Value, caller.Department, dueOn, caller.Organisation)],
            CaseDeadlines.For(policyCase.Id, CaseStage.UnderVerification, dueOn, now));
    }
}
