using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Needs;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Supervision;

/// <summary>Open a verification round (逐户核实) of <c>Policy</c> in <c>Township</c> on <c>OpenedOn</c>.</summary>
public sealed record OpenVerificationRound(string? Township, [property: Required] ExtendedPolicy? Policy, DateOnly? OpenedOn) : IHasExample<OpenVerificationRound>
{
    public static OpenVerificationRound Example { get; } = new("mucheng", ExtendedPolicy.FinancialLoan, new DateOnly(2020, 10, 1));
}

/// <summary>
/// What opening a round is decided on: the families and households of the township due a check of the
/// policy, and the round of the same township and policy still open, if any.
/// </summary>
public sealed record RoundOpening(IReadOnlyList<DueForVerification> Due, VerificationRoundDetails? OpenRound);

public static class OpenVerificationRoundEndpoint
{
    public static async Task<RoundOpening> LoadAsync(OpenVerificationRound command, TownshipDirectory townships, IQuerySession session,
        CancellationToken token)
    {
        if (townships.Find(command.Township)?.Code is not { } township || command.Policy is not { } policy) return new RoundOpening([], null);
        var open = await session.Query<VerificationRoundDetails>()
            .Where(r => r.Township == township && r.Policy == policy && r.ClosedOn == null).FirstOrDefaultAsync(token);
        var (families, measures) = await NeedMeasures.LoadAsync(session, township, null, token);
        var households = await session.Query<PolicyCaseDetails>()
            .Where(c => c.Township == township && c.Policy == policy && c.HouseholdId != null)
            .ToListAsync(token);
        return new RoundOpening(Due(policy, families.Where(f => f.Needs!.Needs.Contains(policy)).Select(f => f.Id), measures, households), open);
    }

    /// <summary>
    /// The families and households due a check: each family with a measure of the policy delivered or in progress
    /// (a case open or granted, an enrolment, a placement, a family-doctor agreement) or whose latest survey needs
    /// it, and each household with a case of it open or granted; one entry each, naming its latest case.
    /// </summary>
    public static IReadOnlyList<DueForVerification> Due(ExtendedPolicy policy, IEnumerable<Guid> familiesInNeed, ILookup<Guid, Measure> measures,
        IReadOnlyList<PolicyCaseDetails> householdCases)
    {
        static bool Live(Measure m) => m.InProgress || m.DeliveredOn is not null;
        var families = measures
            .Select(g => (Family: g.Key, Measures: g.Where(m => m.Policy == policy && Live(m)).ToList()))
            .Where(f => f.Measures.Count > 0)
            .ToDictionary(f => f.Family, f => f.Measures.Where(m => m.Kind == MeasureKind.PolicyCase).MaxBy(m => (m.From, m.Id))?.Id);
        foreach (var family in familiesInNeed) families.TryAdd(family, null);
        var households = householdCases.Where(c => c.Open || c.Outcome == CaseStage.Granted)
            .GroupBy(c => c.HouseholdId!.Value)
            .Select(g => new DueForVerification(g.Key, RoundSubjectKind.Household, g.MaxBy(c => (c.OpenedOn, c.Id))!.Id));
        return families.Select(f => new DueForVerification(f.Key, RoundSubjectKind.CaregiverFamily, f.Value))
            .Concat(households).OrderBy(d => d.Kind).ThenBy(d => d.SubjectId).ToList();
    }

    /// <summary>
    /// A known township and policy and a past date (400); the caller's department owns the policy (403) and, bound to a
    /// township, opens rounds in its own (403); one open round per township and policy (409 <c>round-already-open</c>).
    /// </summary>
    public static ProblemDetails Validate(OpenVerificationRound command, RoundOpening opening, TownshipDirectory townships, Caller caller,
        OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var township = SupervisionRules.RequireTownship(errors, command.Township, townships);
        if (command.Policy is null) errors.Add("policy", "is required.");
        SupervisionRules.RequirePastDate(errors, "openedOn", command.OpenedOn, now);
        if (errors.Any) return errors.ToProblem();

        return Problems.FirstOf(
            VerificationRules.MustOwn(command.Policy!.Value, caller, ownership),
            SupervisionRules.Access(township!, caller, "township"),
            opening.OpenRound is { } open
                ? Problems.Conflict(ProblemTypes.RoundAlreadyOpen, "A verification round is already open.",
                    $"Round {open.Id} of {open.Policy} in {open.Township}, opened on {open.OpenedOn:yyyy-MM-dd}, is still open; close it first.")
                : null);
    }

    [WolverinePost("/api/verification-rounds"), Tags("Verification rounds")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.VerificationRounds)]
    public static (Created, IStartStream) Post(OpenVerificationRound command, RoundOpening opening, TownshipDirectory townships, Caller caller,
        DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var opened = new VerificationRoundOpened(id, townships.Find(command.Township)!.Code, command.Policy!.Value, caller.Department,
            command.OpenedOn!.Value, opening.Due);
        return (new Created(id, $"/api/verification-rounds/{id}"), MartenOps.StartStream<VerificationRound>(id, opened));
    }
}
