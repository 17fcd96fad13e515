using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>
/// Enrol a member of a caregiver family in a class, today. No <c>Version</c>: the caller decides
/// about a person, not about the class's state; the class's stream is still checked at commit
/// against the version this request read, so two enrolments racing for the last seat cannot both
/// succeed (the loser gets 409 <c>concurrency-conflict</c> and may retry).
/// </summary>
public sealed record EnrolTrainee(Guid? CaregiverFamilyId, Guid? MemberId);

/// <summary>What a change to an enrolment answers: the enrolment and the class's new version.</summary>
public sealed record EnrolmentSaved(Guid ClassId, Guid EnrolmentId, int Version);

public static class EnrolTraineeEndpoint
{
    public static Task<FamilyMemberCandidate> LoadAsync(EnrolTrainee command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        FamilyMemberCandidate.LoadAsync(command.CaregiverFamilyId, session, vault, token);

    public static ProblemDetails Validate(EnrolTrainee command, TrainingClass trainingClass, FamilyMemberCandidate candidate,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.CaregiverFamilyId is null) errors.Add("caregiverFamilyId", "is required.");
        if (command.MemberId is null) errors.Add("memberId", "is required.");
        if (errors.Any) return errors.ToProblem();

        var memberId = command.MemberId!.Value;
        return Problems.FirstOf(
            TrainingRules.MemberOf(candidate, command.CaregiverFamilyId!.Value, memberId),
            TrainingRules.NotOver(trainingClass, ChinaTime.Today(now)),
            TrainingRules.NotEnrolled(trainingClass, memberId, candidate.NameOf(memberId) ?? memberId.ToString()),
            TrainingRules.FreeSeat(trainingClass));
    }

    [WolverinePost("/api/training-classes/{classId}/enrolments"), Tags("Training and employment")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.TrainingAndEmployment)]
    public static (EnrolmentSaved, Events) Post(EnrolTrainee command,
        [WriteModel("classId", AlwaysEnforceConsistency = true)] TrainingClass trainingClass, FamilyMemberCandidate candidate,
        DateTimeOffset now)
    {
        var enrolmentId = Guid.CreateVersion7(now);
        var member = candidate.Member(command.MemberId!.Value)!;
        return (new EnrolmentSaved(trainingClass.Id, enrolmentId, trainingClass.Version + 1),
            [new TraineeEnrolled(trainingClass.Id, enrolmentId, command.CaregiverFamilyId!.Value, member.MemberId,
                candidate.SealedNameOf(member.MemberId), candidate.Family!.Township, trainingClass.Trade, ChinaTime.Today(now))]);
    }
}
