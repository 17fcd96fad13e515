using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
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
/// succeed (the loser gets 409 <c>concurrency-conflict</c> and may retry). The family must hold a
/// kinship, neighbour or assigned-helper agreement in force today (<see cref="EligibilityChain"/>),
/// or the request carries an <c>Exception</c> with its reason.
/// </summary>
public sealed record EnrolTrainee([property: Required] Guid? CaregiverFamilyId, [property: Required] Guid? MemberId, EligibilityExceptionInput? Exception = null) : IHasExample<EnrolTrainee>
{
    public static EnrolTrainee Example { get; } = new(ExampleIds.Family, ExampleIds.FamilyMember);
}

/// <summary>What a change to an enrolment answers: the enrolment and the class's new version.</summary>
public sealed record EnrolmentSaved(Guid ClassId, Guid EnrolmentId) : IStreamVersioned<EnrolmentSaved>, IHasExample<EnrolmentSaved>
{
    public static EnrolmentSaved Example { get; } = new(ExampleIds.Class, ExampleIds.Enrolment) { Version = 3 };

    public int Version { get; init; }

    public EnrolmentSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(ClassId) };
}

public static class EnrolTraineeEndpoint
{
    public static Task<FamilyMemberCandidate> LoadAsync(EnrolTrainee command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        FamilyMemberCandidate.LoadAsync(command.CaregiverFamilyId, session, vault, token);

    public static ProblemDetails Validate(EnrolTrainee command, TrainingClass trainingClass, FamilyMemberCandidate candidate,
        Caller caller, OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.CaregiverFamilyId is null) errors.Add("caregiverFamilyId", "is required.");
        if (command.MemberId is null) errors.Add("memberId", "is required.");
        EligibilityChain.ValidateException(errors, command.Exception);
        if (errors.Any) return errors.ToProblem();

        var memberId = command.MemberId!.Value;
        var familyId = command.CaregiverFamilyId!.Value;
        return Problems.FirstOf(
            TrainingRules.MemberOf(candidate, familyId, memberId),
            candidate.Family is null
                ? null
                : EligibilityChain.Check(familyId, candidate.Agreements, ChinaTime.Today(now), command.Exception, caller, ownership,
                    "An enrolment in a training class"),
            TrainingRules.NotOver(trainingClass, ChinaTime.Today(now)),
            TrainingRules.NotEnrolled(trainingClass, memberId, candidate.NameOf(memberId) ?? memberId.ToString()),
            TrainingRules.FreeSeat(trainingClass));
    }

    [WolverinePost("/api/training-classes/{classId}/enrolments"), Tags("Training and employment")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.TrainingAndEmployment)]
    public static (EnrolmentSaved, Events) Post(EnrolTrainee command,
        [WriteModel("classId", AlwaysEnforceConsistency = true)] TrainingClass trainingClass, FamilyMemberCandidate candidate,
        Caller caller, DateTimeOffset now)
    {
        var enrolmentId = Guid.CreateVersion7(now);
        var member = candidate.Member(command.MemberId!.Value)!;
        var today = ChinaTime.Today(now);
        var family = candidate.Family!;
        Events events =
        [
            new TraineeEnrolled(trainingClass.Id, enrolmentId, family.Id, member.MemberId,
                candidate.SealedNameOf(member.MemberId), family.Township, trainingClass.Trade, today),
        ];
        if (EligibilityChain.Granted(command.Exception, enrolmentId, EligibilitySubject.Enrolment, family.Id, family.Township, today,
                caller, () => candidate.Keys.Record(family.Id)) is { } exception)
            events.Add(exception);
        return (new EnrolmentSaved(trainingClass.Id, enrolmentId), events);
    }
}
