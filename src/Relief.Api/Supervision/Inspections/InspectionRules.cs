using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Wolverine.Http;

namespace Relief.Api.Supervision;

/// <summary>The rules of inspections and their follow-ups.</summary>
public static class InspectionRules
{
    public const int MaxFollowUps = 20;

    public static ProblemDetails NotFound(Guid inspectionId) => SupervisionRules.NotFound("inspection", inspectionId);

    /// <summary><c>{inspectionId}</c> names an inspection on every write route.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<Inspection>("inspectionId", NotFound);

    /// <summary>
    /// Each follow-up needs an action, an owning department and a due date no earlier than the
    /// inspection (a follow-up cannot be due before the visit that asked for it).
    /// </summary>
    public static void ValidateFollowUps(FieldErrors errors, IReadOnlyList<FollowUpInput>? followUps, DateOnly? inspectedOn)
    {
        if (followUps is null)
        {
            errors.Add("followUps", "is required (an empty list when none).");
            return;
        }

        if (followUps.Count > MaxFollowUps) errors.Add("followUps", $"holds at most {MaxFollowUps} actions.");
        for (var i = 0; i < followUps.Count; i++)
        {
            var f = followUps[i];
            if (f is null)
            {
                errors.Add($"followUps[{i}]", "is required.");
                continue;
            }

            errors.RequireText($"followUps[{i}].action", f.Action, 200);
            if (f.Owner is null) errors.Add($"followUps[{i}].owner", "is required.");
            if (f.DueOn is null) errors.Add($"followUps[{i}].dueOn", "is required.");
            else if (inspectedOn is { } on && f.DueOn < on)
                errors.Add($"followUps[{i}].dueOn", $"must not be before the inspection ({on:yyyy-MM-dd}).");
        }
    }

    /// <summary>The follow-up must exist (404) and still be open (409); it cannot be done before the inspection (400).</summary>
    public static ProblemDetails Completable(Inspection inspection, int number, DateOnly completedOn)
    {
        if (inspection.FollowUps.All(f => f.Number != number))
            return SupervisionRules.NotFound("follow-up", $"{number} of inspection {inspection.Id}");
        if (inspection.Completed.TryGetValue(number, out var on))
            return Problems.Conflict(ProblemTypes.Conflict, "The follow-up is already completed.",
                $"Follow-up {number} of inspection {inspection.Id} was completed on {on:yyyy-MM-dd}.");
        if (completedOn < inspection.InspectedOn)
        {
            var errors = new FieldErrors();
            errors.Add("completedOn", $"must not be before the inspection ({inspection.InspectedOn:yyyy-MM-dd}).");
            return errors.ToProblem();
        }

        return WolverineContinue.NoProblems;
    }
}

/// <summary>A follow-up action as the request gives it.</summary>
public sealed record FollowUpInput(string? Action, DateOnly? DueOn, Infrastructure.Security.Department? Owner);
