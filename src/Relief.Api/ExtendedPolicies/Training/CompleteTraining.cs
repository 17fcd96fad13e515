using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>
/// An enrolled trainee completed the class (结业) on <c>CompletedOn</c>, with the certificate number
/// if a certificate was issued (sealed under the trainee's own key). No <c>Version</c>, as for the
/// enrolment it concerns.
/// </summary>
public sealed record CompleteTraining(DateOnly? CompletedOn, [property: MaxLength(50)] string? CertificateNo) : IHasExample<CompleteTraining>
{
    public static CompleteTraining Example { get; } = new(new DateOnly(2020, 10, 1), "HN-2020-DG-0031");
}

public static class CompleteTrainingEndpoint
{
    /// <summary>The trainee's key (null when the class has no such enrolment), which seals the certificate's number.</summary>
    public static async Task<DataProtector?> LoadAsync(Guid classId, Guid enrolmentId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var trainingClass = await session.LoadAsync<TrainingClassDetails>(classId, token);
        return trainingClass?.Enrolments.FirstOrDefault(e => e.EnrolmentId == enrolmentId) is { } seat
            ? vault.ForPerson(seat.MemberId, await session.LoadAsync<PersonDataKey>(seat.MemberId, token))
            : null;
    }

    public static ProblemDetails Validate(CompleteTraining command, TrainingClass trainingClass, Guid enrolmentId, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        TrainingRules.RequirePastDate(errors, "completedOn", command.CompletedOn, now);
        if (command.CompletedOn < trainingClass.StartsOn)
            errors.Add("completedOn", $"is before the class started ({trainingClass.StartsOn:yyyy-MM-dd}).");
        errors.OptionalText("certificateNo", command.CertificateNo, 50);
        if (command.CertificateNo is not null && string.IsNullOrWhiteSpace(command.CertificateNo))
            errors.Add("certificateNo", "is left out when there is none, never blank.");
        return Problems.FirstOf(TrainingRules.Enrolled(trainingClass, enrolmentId), errors.ToProblem());
    }

    [WolverinePost("/api/training-classes/{classId}/enrolments/{enrolmentId}/completion"), Tags("Training and employment")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.TrainingAndEmployment)]
    public static (EnrolmentSaved, Events) Post(CompleteTraining command,
        [WriteModel("classId", AlwaysEnforceConsistency = true)] TrainingClass trainingClass, Guid enrolmentId, DataProtector? trainee)
    {
        var seat = trainingClass.Enrolments[enrolmentId];
        return (new EnrolmentSaved(trainingClass.Id, enrolmentId),
            [new TrainingCompleted(trainingClass.Id, enrolmentId, seat.CaregiverFamilyId, seat.MemberId,
                command.CompletedOn!.Value, trainee!.SealText(PersonalDataMask.Fields.CertificateNo, command.CertificateNo?.Trim()))]);
    }
}
