using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CarePlans.Visits;

/// <summary>A member's willingness as sent.</summary>
public sealed record MemberWillingnessInput(Guid? MemberId, Willingness? Willingness);

/// <summary>
/// Record an outreach visit (逐户走访) on the household's plan: each member's willingness to enter a
/// centre (<c>Willing</c>, <c>Unwilling</c>, <c>Undecided</c>), and an optional note.
/// </summary>
public sealed record RecordOutreachVisit([property: JsonRequired] int Version, DateOnly? VisitedOn,
    IReadOnlyList<MemberWillingnessInput>? Members, [property: MaxLength(500)] string? Note) : IHasExample<RecordOutreachVisit>
{
    public static RecordOutreachVisit Example { get; } = new(1, new DateOnly(2020, 10, 1), [new MemberWillingnessInput(ExampleIds.Member, Willingness.Willing)], "本人愿意入住医养中心。");
}

/// <summary>A visit recorded: the plan's version and the visit's id.</summary>
public sealed record VisitSaved(Guid PlanId, Guid VisitId) : IStreamVersioned<VisitSaved>, IHasExample<VisitSaved>
{
    public static VisitSaved Example { get; } = new(ExampleIds.Plan, ExampleIds.Visit) { Version = 2 };

    public int Version { get; init; }

    public VisitSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(PlanId) };
}

public static class RecordOutreachVisitEndpoint
{
    public static Task<PlanHousehold> LoadAsync(Guid planId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        PlanHousehold.LoadAsync(planId, session, vault, token);

    public static ProblemDetails Validate(RecordOutreachVisit command, CarePlan plan, PlanHousehold household, Caller caller,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CarePlanRules.RequireDate(errors, "visitedOn", command.VisitedOn, now, plan.DraftedOn, "the plan was drafted");
        errors.OptionalText("note", command.Note, 500);
        var members = household.Household?.Members.Select(m => m.MemberId).ToHashSet() ?? [];
        if (command.Members is not { Count: > 0 } given)
        {
            errors.Add("members", "is required: the willingness of at least one member.");
        }
        else
        {
            for (var i = 0; i < given.Count; i++)
            {
                if (given[i] is not { } member) errors.Add($"members[{i}]", "is required.");
                else if (member.MemberId is not { } id) errors.Add($"members[{i}].memberId", "is required.");
                else if (!members.Contains(id)) errors.Add($"members[{i}].memberId", "is not a member of the household.");
                else if (given.Take(i).Any(m => m?.MemberId == id)) errors.Add($"members[{i}].memberId", "is given twice.");
                if (given[i] is { Willingness: null }) errors.Add($"members[{i}].willingness", "is required.");
            }
        }

        return Problems.FirstOf(CarePlanRules.Access(plan, caller), errors.ToProblem(), household.Open(plan), household.MaySeal(command.Note));
    }

    /// <summary>Records an outreach visit with each member's willingness; an assessment may then name it.</summary>
    [WolverinePost("/api/care-plans/{planId}/outreach-visits"), Tags("Care plans")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CareVisits)]
    public static (VisitSaved, Events) Post(RecordOutreachVisit command, [WriteModel("planId")] CarePlan plan, PlanHousehold household,
        DateTimeOffset now)
    {
        var visitId = Guid.CreateVersion7(now);
        return (new VisitSaved(plan.Id, visitId),
        [
            new OutreachVisitRecorded(plan.Id, plan.HouseholdId, plan.Township, visitId, command.VisitedOn!.Value,
                command.Members!.Select(m => new MemberWillingness(m.MemberId!.Value, m.Willingness!.Value)).ToList(),
                household.Seal(command.Note)),
        ]);
    }
}
