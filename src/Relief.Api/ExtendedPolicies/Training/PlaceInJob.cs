using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>Record that a member of a caregiver family was placed in a job (就业安置).</summary>
public sealed record PlaceInJob(
    Guid? CaregiverFamilyId,
    Guid? MemberId,
    PlacementChannel? Channel,
    string? Employer,
    DateOnly? PlacedOn);

public static class PlaceInJobEndpoint
{
    public static Task<FamilyMemberCandidate> LoadAsync(PlaceInJob command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        FamilyMemberCandidate.LoadAsync(command.CaregiverFamilyId, session, vault, token);

    public static ProblemDetails Validate(PlaceInJob command, FamilyMemberCandidate candidate, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.CaregiverFamilyId is null) errors.Add("caregiverFamilyId", "is required.");
        if (command.MemberId is null) errors.Add("memberId", "is required.");
        if (command.Channel is null) errors.Add("channel", "is required.");
        errors.RequireText("employer", command.Employer, 100);
        TrainingRules.RequirePastDate(errors, "placedOn", command.PlacedOn, now);
        if (errors.Any) return errors.ToProblem();

        return Problems.FirstOf(TrainingRules.MemberOf(candidate, command.CaregiverFamilyId!.Value, command.MemberId!.Value));
    }

    [WolverinePost("/api/job-placements"), Tags("Training and employment")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.TrainingAndEmployment)]
    public static (Created, IStartStream) Post(PlaceInJob command, FamilyMemberCandidate candidate, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var member = candidate.Member(command.MemberId!.Value)!;
        var placed = new JobPlaced(id, command.CaregiverFamilyId!.Value, member.MemberId, candidate.SealedNameOf(member.MemberId),
            candidate.Family!.Township, command.Channel!.Value, command.Employer!.Trim(), command.PlacedOn!.Value);
        return (new Created(id, 1, $"/api/job-placements/{id}"), MartenOps.StartStream<JobPlacement>(id, placed));
    }
}
