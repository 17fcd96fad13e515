using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Relief.Core.Protection;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.CarePlans.PlanDetails;

/// <summary>An outreach visit as the API shows it, its note opened (<c>[erased]</c> once the household's key was forgotten).</summary>
public sealed record OutreachVisitResponse(Guid VisitId, DateOnly VisitedOn, IReadOnlyList<MemberWillingness> Members, string? Note);

/// <summary>An assessed member: the dependency level opened with the member's key (null once erased).</summary>
public sealed record AssessedMemberResponse(Guid MemberId, Willingness Willingness, DependencyLevel? Dependency);

public sealed record AssessmentResponse(Guid VisitId, DateOnly AssessedOn, IReadOnlyList<AssessedMemberResponse> Members, IReadOnlyList<CareNeed> Needs);

/// <summary>
/// The responsible cadre (帮扶责任人): name shown to every reader of the plan (names are not masked);
/// phone masked unless the caller holds <c>pii:read</c>; both <c>[erased]</c> once the cadre was erased.
/// </summary>
public sealed record CadreResponse(Guid CadreId, string Name, string Phone, DateOnly AssignedOn, PersonalDataView PersonalData);

public sealed record PlanReviewResponse(DateOnly ReviewedOn, DateOnly NextReviewOn, string? Note);

public sealed record FollowUpVisitResponse(Guid VisitId, DateOnly VisitedOn, DateOnly? DueOn, string? Note);

/// <summary>A care plan as the API shows it.</summary>
public sealed record CarePlanResponse(
    Guid Id,
    int Version,
    Guid HouseholdId,
    string Township,
    PlanStatus Status,
    DateOnly DraftedOn,
    DateOnly? ActivatedOn,
    DateOnly? NextReviewOn,
    DateOnly? ReviewDueFrom,
    AssessmentResponse? Assessment,
    IReadOnlyList<PlanCare> Care,
    IReadOnlyList<PlanMeasure> Measures,
    CadreResponse? Cadre,
    IReadOnlyList<CadreResponse> FormerCadres,
    IReadOnlyList<OutreachVisitResponse> OutreachVisits,
    IReadOnlyList<PlanReviewResponse> Reviews,
    IReadOnlyList<FollowUpVisitResponse> FollowUps,
    DateOnly? NextFollowUpOn,
    bool FollowUpOverdue)
{
    /// <summary>Every sealed value the plan holds: what a read loads the keys of.</summary>
    public static IEnumerable<ProtectedValue?> SealedIn(CarePlanDetails plan) =>
        plan.OutreachVisits.Select(v => v.Note)
            .Concat(plan.Assessment?.Members.Select(m => (ProtectedValue?)m.Dependency) ?? [])
            .Concat(plan.Cadres.SelectMany(c => new ProtectedValue?[] { c.Name, c.Phone }))
            .Concat(plan.Reviews.Select(r => r.Note))
            .Concat(plan.FollowUps.Select(f => f.Note));

    public static CarePlanResponse Of(CarePlanDetails plan, KeyChain keys, bool reveal, DateOnly today)
    {
        string? Note(ProtectedValue? note) => note is null ? null : keys.Show(SealedFields.Note, note);
        var cadres = plan.Cadres.Select(c => Show(c, keys, reveal)).ToList();
        return new CarePlanResponse(plan.Id, plan.Version, plan.HouseholdId, plan.Township, plan.Status, plan.DraftedOn, plan.ActivatedOn,
            plan.NextReviewOn, plan.ReviewDueFrom,
            plan.Assessment is { } a
                ? new AssessmentResponse(a.VisitId, a.AssessedOn,
                    a.Members.Select(m => new AssessedMemberResponse(m.MemberId, m.Willingness,
                        keys.Reveal(PlanFields.Dependency, m.Dependency) is { } level ? Enum.Parse<DependencyLevel>(level) : null)).ToList(),
                    a.Needs)
                : null,
            plan.Care, plan.Measures, cadres.LastOrDefault(), cadres.SkipLast(1).ToList(),
            plan.OutreachVisits.Select(v => new OutreachVisitResponse(v.VisitId, v.VisitedOn, v.Members, Note(v.Note))).ToList(),
            plan.Reviews.Select(r => new PlanReviewResponse(r.ReviewedOn, r.NextReviewOn, Note(r.Note))).ToList(),
            plan.FollowUps.Select(f => new FollowUpVisitResponse(f.VisitId, f.VisitedOn, f.DueOn, Note(f.Note))).ToList(),
            plan.NextFollowUpOn, plan.ActivatedOn is not null && plan.NextFollowUpOn < today);
    }

    private static CadreResponse Show(CadreRecord cadre, KeyChain keys, bool reveal)
    {
        var phone = keys.Reveal(PlanFields.Phone, cadre.Phone);
        if (phone is null) return new CadreResponse(cadre.CadreId, PersonalDataMask.Erased, PersonalDataMask.Erased, cadre.AssignedOn, PersonalDataView.Erased);
        return new CadreResponse(cadre.CadreId, keys.Show(PlanFields.Name, cadre.Name), reveal ? phone : PersonalDataMask.Phone(phone),
            cadre.AssignedOn, reveal ? PersonalDataView.Revealed : PersonalDataView.Masked);
    }

    /// <summary>True when a cadre's phone was shown in full (a disclosure to record).</summary>
    public bool Reveals => Cadre?.PersonalData == PersonalDataView.Revealed || FormerCadres.Any(c => c.PersonalData == PersonalDataView.Revealed);
}

public static class GetCarePlanEndpoint
{
    public static async Task<(CarePlanDetails?, KeyChain)> LoadAsync(Guid planId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var plan = await session.LoadAsync<CarePlanDetails>(planId, token);
        return (plan, plan is null ? KeyChain.Empty : await vault.Keys(session, CarePlanResponse.SealedIn(plan), token));
    }

    public static ProblemDetails Validate(CarePlanDetails? plan, Guid planId, Caller caller) =>
        plan is null ? CarePlanRules.NotFound(planId) : TownshipScope.Access(plan.Township, caller, "care plan") ?? WolverineContinue.NoProblems;

    /// <summary>
    /// One care plan with its visits, reviews and cadres. The cadre's phone is masked unless the caller
    /// holds <c>pii:read</c>; every unmasked read is recorded.
    /// </summary>
    [WolverineGet("/api/care-plans/{planId}"), Tags("Care plans")]
    [Authorize(Scopes.HouseholdsRead)]
    public static (CarePlanResponse, IMartenOp) Get(Guid planId, CarePlanDetails plan, KeyChain keys, Caller caller, HttpContext context,
        DateTimeOffset now)
    {
        var response = CarePlanResponse.Of(plan, keys, caller.Has(Scopes.PiiRead), ChinaTime.Today(now));
        return (response, PersonalDataDisclosure.RecordIf(response.Reveals, PersonalDataOwner.Household, plan.HouseholdId, caller, context, now));
    }
}

public static class GetHouseholdCarePlanEndpoint
{
    public static async Task<(HouseholdDetails?, CarePlanDetails?, KeyChain)> LoadAsync(Guid householdId, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var household = await session.LoadAsync<HouseholdDetails>(householdId, token);
        var plan = household is null ? null : await session.Query<CarePlanDetails>().Where(p => p.HouseholdId == householdId).FirstOrDefaultAsync(token);
        return (household, plan, plan is null ? KeyChain.Empty : await vault.Keys(session, CarePlanResponse.SealedIn(plan), token));
    }

    public static ProblemDetails Validate(HouseholdDetails? household, CarePlanDetails? plan, Guid householdId, Caller caller) =>
        HouseholdRules.Readable(household, householdId, caller)
          ?? (plan is null ? Problems.NotFound("No care plan.", $"Household {householdId} has no care plan yet; draft one.") : WolverineContinue.NoProblems);

    /// <summary>The household's care plan (一户一策), as at <c>/api/care-plans/{planId}</c>.</summary>
    [WolverineGet("/api/households/{householdId}/care-plan"), Tags("Care plans")]
    [Authorize(Scopes.HouseholdsRead)]
    public static (CarePlanResponse, IMartenOp) Get(Guid householdId, CarePlanDetails plan, KeyChain keys, Caller caller, HttpContext context,
        DateTimeOffset now)
    {
        var response = CarePlanResponse.Of(plan, keys, caller.Has(Scopes.PiiRead), ChinaTime.Today(now));
        return (response, PersonalDataDisclosure.RecordIf(response.Reveals, PersonalDataOwner.Household, householdId, caller, context, now));
    }
}
