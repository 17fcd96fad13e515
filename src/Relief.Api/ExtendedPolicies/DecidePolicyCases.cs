using System.ComponentModel.DataAnnotations;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.ExtendedPolicies;

/// <summary>A department's decision on a policy case, as one record of a batch: which of the single decision routes it stands for.</summary>
public enum CaseDecision
{
    /// <summary>A loan intent found eligible (<c>POST …/eligibility</c>, <c>eligible: true</c>).</summary>
    Eligible,

    /// <summary>A loan intent found ineligible, with the reason (<c>POST …/eligibility</c>, <c>eligible: false</c>).</summary>
    Ineligible,

    /// <summary>Verification starts (逐户核实, <c>POST …/verification</c>).</summary>
    StartVerification,

    /// <summary>The measure is granted, with the facts of the case's policy (<c>POST …/grant</c>).</summary>
    Grant,

    /// <summary>The measure is refused, with the reason (<c>POST …/rejection</c>).</summary>
    Reject,

    /// <summary>The case is closed; the reason is its note (<c>POST …/closure</c>).</summary>
    Close,
}

/// <summary>
/// One decision of a batch: the case, optionally its version the sender last read (a stale one refuses
/// the record with 409; left out, the decision applies to the case as it stands, and a concurrent
/// change still makes the batch a 409 at commit), the decision, its date (<c>on</c>), the reason
/// (ineligible, reject; a close's note) and, for a grant, the facts of the case's policy.
/// </summary>
public sealed record PolicyDecision(
    [property: Required] Guid? CaseId,
    int? Version,
    [property: Required] CaseDecision? Decision,
    [property: Required] DateOnly? On,
    [property: MaxLength(500)] string? Reason,
    PostInput? Post,
    BusinessSupportInput? Business,
    LoanInput? Loan,
    AssistanceInput? Assistance);

/// <summary>
/// A department's decisions on many policy cases in one request and one transaction, all or nothing.
/// Each decision is checked and recorded exactly as its single route would (the same rules, the
/// same events, the same deadlines).
/// </summary>
public sealed record DecidePolicyCases(
    [property: Required, MinLength(1), MaxLength(DecidePolicyCasesEndpoint.MaxDecisions)] IReadOnlyList<PolicyDecision?>? Decisions)
    : IHasExample<DecidePolicyCases>
{
    public static DecidePolicyCases Example { get; } = new(
        [new PolicyDecision(ExampleIds.Case, null, CaseDecision.Eligible, new DateOnly(2020, 9, 30), null, null, null, null, null)]);
}

/// <summary>What a batch of decisions that was written answers: each record's case, its new stage and version.</summary>
public sealed record DecidedPolicyCases(int Count, IReadOnlyList<DecidedCase> Cases)
    : IStreamVersioned<DecidedPolicyCases>, IHasExample<DecidedPolicyCases>
{
    public static DecidedPolicyCases Example { get; } = new(1, [new DecidedCase(0, ExampleIds.Case, CaseStage.Eligible) { Version = 2 }]);

    public DecidedPolicyCases WithVersions(StreamVersions streams) =>
        this with { Cases = Cases.Select(c => c with { Version = streams.Of(c.CaseId) }).ToList() };
}

/// <summary>One decided case: its index in the batch, the case, the stage it is in now and its version.</summary>
public sealed record DecidedCase
{
    public DecidedCase(int index, Guid caseId, CaseStage stage) =>
        (Index, CaseId, Stage, Url) = (index, caseId, stage, $"/api/policy-cases/{caseId}");

    public int Index { get; }
    public Guid CaseId { get; }
    public CaseStage Stage { get; }
    public int Version { get; init; }
    public string Url { get; }
}

/// <summary>
/// What the batch loaded: each named case fetched for writing (its version is checked at commit), the
/// problem of each that cannot be written to (404, archived 409), and the key of each case's family
/// or household, which seals reasons and notes.
/// </summary>
public sealed record CaseBatch(
    IReadOnlyDictionary<Guid, IEventStream<PolicyCase>> Cases,
    IReadOnlyDictionary<Guid, ProblemDetails> Unwritable,
    IReadOnlyDictionary<Guid, DataProtector> Records);

public static class DecidePolicyCasesEndpoint
{
    public const int MaxDecisions = 1000;

    public const string Prefix = "decisions";

    public static async Task<CaseBatch> LoadAsync(DecidePolicyCases command, IDocumentSession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var cases = new Dictionary<Guid, IEventStream<PolicyCase>>();
        var unwritable = new Dictionary<Guid, ProblemDetails>();
        var records = new Dictionary<Guid, DataProtector>();
        var decisions = command.Decisions ?? [];
        if (decisions.Count is 0 or > MaxDecisions) return new CaseBatch(cases, unwritable, records);

        foreach (var id in decisions.Select(d => d?.CaseId).OfType<Guid>().Distinct())
        {
            if (await PolicyCaseRules.Stream.CheckAsync(id, session, token) is { } problem)
            {
                unwritable[id] = problem;
                continue;
            }

            var stream = await session.Events.FetchForWriting<PolicyCase>(id, token);
            cases[id] = stream;
            records[id] = await vault.ForHousehold(session, stream.Aggregate!.RecordId, token);
        }

        return new CaseBatch(cases, unwritable, records);
    }

    /// <summary>
    /// Every decision is checked by its single route's rules; a case is decided once per batch. One
    /// refused decision refuses the batch, and the problem lists every record's outcome.
    /// </summary>
    public static ProblemDetails Validate(DecidePolicyCases command, CaseBatch batch, Caller caller, OwnershipTable ownership,
        DateTimeOffset now)
    {
        if (command.Decisions is null) return Problems.Validation(new Dictionary<string, string[]> { [Prefix] = ["is required."] });
        var decisions = command.Decisions;
        if (decisions.Count is 0 or > MaxDecisions)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                [Prefix] = [$"has 1 to {MaxDecisions} decisions; got {decisions.Count}."],
            });
        }

        var decided = new Dictionary<Guid, int>();
        var outcomes = new List<RecordOutcome>();
        for (var i = 0; i < decisions.Count; i++)
        {
            var problem = Check(decisions[i], i, batch, caller, ownership, now, decided);
            outcomes.Add(problem is null ? new RecordOutcome(i, RecordOutcome.Valid) : RecordOutcome.RefusedWith(i, problem, $"{Prefix}[{i}]."));
        }

        return BatchProblem.Of(outcomes);
    }

    private static ProblemDetails? Check(PolicyDecision? decision, int index, CaseBatch batch, Caller caller, OwnershipTable ownership,
        DateTimeOffset now, Dictionary<Guid, int> decided)
    {
        var errors = new FieldErrors();
        if (decision is null)
        {
            errors.Add("body", "is required.");
            return errors.ToProblem();
        }

        if (decision.CaseId is null) errors.Add("caseId", "is required.");
        if (decision.Decision is null)
            errors.Add("decision", $"is required: one of {string.Join(", ", Enum.GetNames<CaseDecision>())}.");
        if (decision.On is null) errors.Add("on", "is required.");
        if (errors.Any) return errors.ToProblem();

        var caseId = decision.CaseId!.Value;
        if (batch.Unwritable.TryGetValue(caseId, out var unwritable)) return unwritable;
        if (decided.TryGetValue(caseId, out var earlier))
        {
            return Problems.Conflict(ProblemTypes.Conflict, "The case is decided twice in the batch.",
                $"Policy case {caseId} is decided in record {earlier} already; a case takes one decision per batch.");
        }

        decided[caseId] = index;
        var policyCase = batch.Cases[caseId].Aggregate!;
        if (decision.Version is { } version && version != policyCase.Version)
        {
            return Problems.Conflict(ProblemTypes.ConcurrencyConflict, "The case changed since it was read.",
                $"Policy case {caseId} is at version {policyCase.Version}, not {version}; read it again.");
        }

        NotApplicable(decision, errors);
        if (errors.Any) return errors.ToProblem();

        var problem = decision.Decision switch
        {
            CaseDecision.Eligible or CaseDecision.Ineligible =>
                DecideLoanEligibilityEndpoint.Validate(AsEligibility(decision, policyCase), policyCase, caller, ownership, now),
            CaseDecision.StartVerification =>
                StartVerificationEndpoint.Validate(AsVerification(decision, policyCase), policyCase, caller, ownership, now),
            CaseDecision.Grant => GrantPolicyEndpoint.Validate(AsGrant(decision, policyCase), policyCase, caller, ownership, now),
            CaseDecision.Reject => RejectPolicyCaseEndpoint.Validate(AsRejection(decision, policyCase), policyCase, caller, ownership, now),
            _ => ClosePolicyCaseEndpoint.Validate(AsClosure(decision, policyCase), policyCase, caller, ownership, now),
        };
        return ReferenceEquals(problem, WolverineContinue.NoProblems) ? null : InBatchTerms(problem);
    }

    /// <summary>A reason where the decision takes none, or a grant's facts on another decision: refused, never dropped silently.</summary>
    private static void NotApplicable(PolicyDecision decision, FieldErrors errors)
    {
        if (decision.Decision is CaseDecision.StartVerification or CaseDecision.Grant && decision.Reason is not null)
            errors.Add("reason", $"does not apply to {decision.Decision}.");
        if (decision.Decision == CaseDecision.Grant) return;
        foreach (var (field, given) in new (string, object?)[]
                 {
                     ("post", decision.Post), ("business", decision.Business), ("loan", decision.Loan), ("assistance", decision.Assistance),
                 })
        {
            if (given is not null) errors.Add(field, $"applies to a Grant only, not to {decision.Decision}.");
        }
    }

    /// <summary>The single routes' field names in the batch's: their dates are <c>on</c>, a closure's note is <c>reason</c>.</summary>
    private static ProblemDetails InBatchTerms(ProblemDetails problem)
    {
        if (problem is not ValidationProblemDetails validation) return problem;
        var errors = validation.Errors.GroupBy(e => e.Key switch
            {
                "decidedOn" or "startedOn" or "grantedOn" or "rejectedOn" or "closedOn" => "on",
                "note" or "eligible" => e.Key == "note" ? "reason" : "decision",
                _ => e.Key,
            })
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray());
        return Problems.Validation(errors);
    }

    private static DecideLoanEligibility AsEligibility(PolicyDecision d, PolicyCase c) =>
        new(c.Version, d.Decision == CaseDecision.Eligible, d.On, d.Reason);

    private static StartVerification AsVerification(PolicyDecision d, PolicyCase c) => new(c.Version, d.On);

    private static GrantPolicy AsGrant(PolicyDecision d, PolicyCase c) => new(c.Version, d.On, d.Post, d.Business, d.Loan, d.Assistance);

    private static RejectPolicyCase AsRejection(PolicyDecision d, PolicyCase c) => new(c.Version, d.On, d.Reason);

    private static ClosePolicyCase AsClosure(PolicyDecision d, PolicyCase c) => new(c.Version, d.On, d.Reason);

    [WolverinePost("/api/policy-case-decisions/batch"), Tags("Extended policies")]
    [Authorize(Scopes.PoliciesWrite)]
    public static (DecidedPolicyCases, IMartenOp, OutgoingMessages) Post(DecidePolicyCases command, CaseBatch batch, Caller caller,
        ServiceTimes serviceTimes, DateTimeOffset now)
    {
        var decided = new List<DecidedCase>();
        var appends = new List<(IEventStream<PolicyCase>, IReadOnlyList<object>)>();
        var messages = new OutgoingMessages();
        foreach (var (decision, index) in command.Decisions!.Select((d, i) => (d!, i)))
        {
            var stream = batch.Cases[decision.CaseId!.Value];
            var policyCase = stream.Aggregate!;
            var record = batch.Records[policyCase.Id];
            var (saved, events, outgoing) = decision.Decision switch
            {
                CaseDecision.Eligible or CaseDecision.Ineligible =>
                    DecideLoanEligibilityEndpoint.Post(AsEligibility(decision, policyCase), policyCase, record, caller, serviceTimes, now),
                CaseDecision.StartVerification =>
                    StartVerificationEndpoint.Post(AsVerification(decision, policyCase), policyCase, caller, serviceTimes, now),
                CaseDecision.Grant => WithoutMessages(GrantPolicyEndpoint.Post(AsGrant(decision, policyCase), policyCase, caller)),
                CaseDecision.Reject =>
                    WithoutMessages(RejectPolicyCaseEndpoint.Post(AsRejection(decision, policyCase), policyCase, record, caller)),
                _ => WithoutMessages(ClosePolicyCaseEndpoint.Post(AsClosure(decision, policyCase), policyCase, record, caller)),
            };
            appends.Add((stream, events));
            messages.AddRange(outgoing);
            decided.Add(new DecidedCase(index, saved.CaseId, saved.Stage));
        }

        return (new DecidedPolicyCases(decided.Count, decided), new AppendDecisions(appends), messages);
    }

    private static (CaseSaved, Events, OutgoingMessages) WithoutMessages((CaseSaved Saved, Events Events) decision) =>
        (decision.Saved, decision.Events, []);
}

/// <summary>Appends each decision's events to its case's fetched stream, checked against the version read, at commit.</summary>
public sealed record AppendDecisions(IReadOnlyList<(IEventStream<PolicyCase> Stream, IReadOnlyList<object> Events)> Appends) : IMartenOp
{
    public void Execute(IDocumentSession session)
    {
        foreach (var (stream, events) in Appends) stream.AppendMany(events);
    }
}
