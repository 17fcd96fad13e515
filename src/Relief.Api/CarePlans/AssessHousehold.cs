using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CarePlans;

/// <summary>A member's dependency level (失能) as assessed.</summary>
public sealed record MemberAssessmentInput(Guid? MemberId, DependencyLevel? Dependency);

/// <summary>
/// Assess the household from an outreach visit of its plan (<c>visitId</c>): each member's dependency
/// level, and the household's needs. Each member's willingness is the one the visit heard
/// (<c>Undecided</c> for a member it did not hear). A new assessment replaces the one before.
/// </summary>
public sealed record AssessHousehold([property: JsonRequired] int Version, Guid? VisitId, DateOnly? AssessedOn,
    IReadOnlyList<MemberAssessmentInput>? Members, [property: Required] IReadOnlyList<CareNeed>? Needs) : IHasExample<AssessHousehold>
{
    public static AssessHousehold Example { get; } = new(2, ExampleIds.Visit, new DateOnly(2020, 10, 1), [new MemberAssessmentInput(ExampleIds.Member, DependencyLevel.Full)], [CareNeed.DailyCare, CareNeed.Meals]);
}

/// <summary>What an assessment is decided on: the household and the keys of its members (who seal their dependency).</summary>
public sealed record AssessmentContext(PlanHousehold Household, KeyChain MemberKeys, IReadOnlyDictionary<Guid, Willingness> Heard);

public static class AssessHouseholdEndpoint
{
    public static async Task<AssessmentContext> LoadAsync(Guid planId, AssessHousehold command, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var household = await PlanHousehold.LoadAsync(planId, session, vault, token);
        var members = household.Household?.Members.Select(m => m.MemberId).ToList() ?? [];
        var keys = await vault.Keys(session, [], members, token);
        var plan = await session.LoadAsync<PlanDetails.CarePlanDetails>(planId, token);
        var visit = plan?.OutreachVisits.FirstOrDefault(v => v.VisitId == command.VisitId);
        return new AssessmentContext(household, keys,
            visit?.Members.ToDictionary(m => m.MemberId, m => m.Willingness) ?? new Dictionary<Guid, Willingness>());
    }

    public static ProblemDetails Validate(AssessHousehold command, CarePlan plan, AssessmentContext context, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var (notBefore, since) = (plan.DraftedOn, "the plan was drafted");
        if (command.VisitId is not { } visitId) errors.Add("visitId", "is required: the outreach visit the assessment comes from.");
        else if (!plan.VisitDays.TryGetValue(visitId, out var visitedOn)) errors.Add("visitId", "names no outreach visit of this plan.");
        else (notBefore, since) = (visitedOn, "the visit was made");
        CarePlanRules.RequireDate(errors, "assessedOn", command.AssessedOn, now, notBefore, since);

        var members = context.Household.Household?.Members.Select(m => m.MemberId).ToHashSet() ?? [];
        if (command.Members is not { Count: > 0 } given)
        {
            errors.Add("members", "is required: the dependency level of at least one member.");
        }
        else
        {
            for (var i = 0; i < given.Count; i++)
            {
                if (given[i] is not { } member) errors.Add($"members[{i}]", "is required.");
                else if (member.MemberId is not { } id) errors.Add($"members[{i}].memberId", "is required.");
                else if (!members.Contains(id)) errors.Add($"members[{i}].memberId", "is not a member of the household.");
                else if (given.Take(i).Any(m => m?.MemberId == id)) errors.Add($"members[{i}].memberId", "is given twice.");
                if (given[i] is { Dependency: null }) errors.Add($"members[{i}].dependency", "is required.");
            }
        }

        if (command.Needs is null) errors.Add("needs", "is required (an empty list when the household needs nothing).");
        else if (command.Needs.Distinct().Count() != command.Needs.Count) errors.Add("needs", "names a need twice.");
        if (errors.Any) return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem());

        var erased = command.Members!.FirstOrDefault(m => context.MemberKeys.Person(m!.MemberId!.Value).IsErased);
        return Problems.FirstOf(CarePlanRules.Access(plan, caller), context.Household.Open(plan),
            erased is null
                ? null
                : Problems.Conflict(ProblemTypes.Conflict, "The member's personal data was erased.",
                    $"Member {erased.MemberId}'s key was forgotten; nothing personal can be recorded for them again."));
    }

    /// <summary>Records the assessment; each member's dependency level is sealed under the member's own key.</summary>
    [WolverinePost("/api/care-plans/{planId}/assessment"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CarePlans)]
    public static (PlanSaved, Events) Post(AssessHousehold command, [WriteModel("planId")] CarePlan plan, AssessmentContext context) =>
        (new PlanSaved(plan.Id),
        [
            new CarePlanAssessed(plan.Id, plan.HouseholdId, command.VisitId!.Value, command.AssessedOn!.Value,
                command.Members!.Select(m => new AssessedMember(m!.MemberId!.Value,
                    context.Heard.GetValueOrDefault(m.MemberId.Value, Willingness.Undecided),
                    context.MemberKeys.Person(m.MemberId.Value).Protect(PlanFields.Dependency, m.Dependency!.Value.ToString()))).ToList(),
                command.Needs!.ToList()),
        ]);
}

/// <summary>The names the plan's sealed fields are bound to (the JSON name of the member that holds them).</summary>
public static class PlanFields
{
    /// <summary>A member's dependency level on an assessment, under the member's key.</summary>
    public const string Dependency = "dependency";

    /// <summary>The cadre's name, under the cadre's key.</summary>
    public const string Name = SealedFields.Name;

    /// <summary>The cadre's phone, under the cadre's key.</summary>
    public const string Phone = "phone";
}
