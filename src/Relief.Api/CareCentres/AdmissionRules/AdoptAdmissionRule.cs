using Relief.Api.Infrastructure.OpenApi;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.CareCentres;

/// <summary>Who a rule admits, as a request gives it: disability grades (1–4) and dependency levels (<c>Partial</c>, <c>Full</c>).</summary>
public sealed record AdmissionCriteriaInput(IReadOnlyList<int>? DisabilityGrades, IReadOnlyList<DependencyLevel>? DependencyLevels);

/// <summary>
/// Adopt an admission rule from <c>EffectiveFrom</c> (later than every rule so far: history is never
/// rewritten): who may be admitted to a centre (<c>Admission</c>) and who may start a free trial stay
/// (<c>TrialStay</c>).
/// </summary>
public sealed record AdoptAdmissionRule(DateOnly? EffectiveFrom, AdmissionCriteriaInput? Admission, AdmissionCriteriaInput? TrialStay) : IHasExample<AdoptAdmissionRule>
{
    public static AdoptAdmissionRule Example { get; } = new(new DateOnly(2020, 10, 1), new AdmissionCriteriaInput([1, 2], []), new AdmissionCriteriaInput([1, 2, 3], [DependencyLevel.Partial, DependencyLevel.Full]));
}

/// <summary>What adopting a rule answers.</summary>
public sealed record AdmissionRuleSaved(Guid RuleId, DateOnly EffectiveFrom) : IStreamVersioned<AdmissionRuleSaved>, IHasExample<AdmissionRuleSaved>
{
    public static AdmissionRuleSaved Example { get; } = new(ExampleIds.Rule, new DateOnly(2020, 10, 1)) { Version = 2 };

    public int Version { get; init; }

    public AdmissionRuleSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(AdmissionRules.StreamId) };
}

public static class AdoptAdmissionRuleEndpoint
{
    public static Task<IEventStream<AdmissionRules>> LoadAsync(IDocumentSession session, CancellationToken token) =>
        session.Events.FetchForWriting<AdmissionRules>(AdmissionRules.StreamId, token);

    public static ProblemDetails Validate(AdoptAdmissionRule command, IEventStream<AdmissionRules> stream) =>
        Check(command, stream.Aggregate);

    /// <summary>The decision proper, on the rules adopted so far (null before the first).</summary>
    public static ProblemDetails Check(AdoptAdmissionRule command, AdmissionRules? rules)
    {
        var errors = new FieldErrors();
        if (command.EffectiveFrom is null) errors.Add("effectiveFrom", "is required.");
        ValidateCriteria(errors, "admission", command.Admission);
        ValidateCriteria(errors, "trialStay", command.TrialStay);
        if (errors.Any) return errors.ToProblem();

        var latest = rules?.Rules.MaxBy(r => r.EffectiveFrom);
        return latest is not null && command.EffectiveFrom <= latest.EffectiveFrom
            ? Problems.Conflict(ProblemTypes.Conflict, "A rule applies from that date or later already.",
                $"The latest admission rule applies from {latest.EffectiveFrom:yyyy-MM-dd}; a new rule must apply from a later day.")
            : WolverineContinue.NoProblems;
    }

    private static void ValidateCriteria(FieldErrors errors, string field, AdmissionCriteriaInput? criteria)
    {
        if (criteria is null)
        {
            errors.Add(field, "is required.");
            return;
        }

        var grades = criteria.DisabilityGrades ?? [];
        var levels = criteria.DependencyLevels ?? [];
        if (grades.Any(g => g is < 1 or > 4) || grades.Distinct().Count() != grades.Count)
            errors.Add($"{field}.disabilityGrades", "are distinct grades from 1 to 4.");
        if (levels.Any(l => l == DependencyLevel.None) || levels.Distinct().Count() != levels.Count)
            errors.Add($"{field}.dependencyLevels", "are distinct levels among Partial and Full.");
        if (grades.Count == 0 && levels.Count == 0)
            errors.Add(field, "names at least one disability grade or dependency level (a rule that admits nobody is no rule).");
    }

    [WolverinePost("/api/admission-rules"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.AdmissionRules)]
    public static (AdmissionRuleSaved, IMartenOp) Post(AdoptAdmissionRule command, IEventStream<AdmissionRules> stream, Caller caller,
        DateTimeOffset now)
    {
        var adopted = Decide(command, caller, now);
        return (new AdmissionRuleSaved(adopted.RuleId, adopted.EffectiveFrom),
            new AppendToFetched<AdmissionRules>(stream, adopted));
    }

    /// <summary>The event a valid command records.</summary>
    public static AdmissionRuleAdopted Decide(AdoptAdmissionRule command, Caller caller, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), command.EffectiveFrom!.Value, Criteria(command.Admission!), Criteria(command.TrialStay!),
            ChinaTime.Today(now), caller.Department);

    private static AdmissionCriteria Criteria(AdmissionCriteriaInput input) =>
        new([.. (input.DisabilityGrades ?? []).Order()], [.. (input.DependencyLevels ?? []).Order()]);
}

public static class ListAdmissionRulesEndpoint
{
    /// <summary>
    /// Every admission rule, oldest first, the seed's rule first (<c>ruleId</c> null): it applies before
    /// the first rule adopted.
    /// </summary>
    [WolverineGet("/api/admission-rules"), Tags("Care centres")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<AdmissionRule>> Get(IQuerySession session, CancellationToken token)
    {
        var adopted = (await session.Events.AggregateStreamAsync<AdmissionRules>(AdmissionRules.StreamId, token: token))?.Rules ?? [];
        return [AdmissionRule.Seed, .. adopted.OrderBy(r => r.EffectiveFrom)];
    }
}
