using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>An enrolled trainee left the class on <c>WithdrewOn</c>, for a reason; the seat is free again.</summary>
public sealed record WithdrawTrainee(DateOnly? WithdrewOn, [property: Required, MaxLength(200)] string? Reason) : IHasExample<WithdrawTrainee>
{
    public static WithdrawTrainee Example { get; } = new(new DateOnly(2020, 10, 1), "家中老人生病，需要照料。");
}

public static class WithdrawTraineeEndpoint
{
    /// <summary>The key of the trainee's family, which seals the reason (null when there is no such enrolment).</summary>
    public static async Task<DataProtector?> LoadAsync(TrainingClass trainingClass, Guid enrolmentId, IQuerySession session,
        PersonalDataVault vault, CancellationToken token) =>
        trainingClass.Enrolments.TryGetValue(enrolmentId, out var seat)
            ? await vault.ForHousehold(session, seat.CaregiverFamilyId, token)
            : null;

    public static ProblemDetails Validate(WithdrawTrainee command, TrainingClass trainingClass, Guid enrolmentId, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        TrainingRules.RequirePastDate(errors, "withdrewOn", command.WithdrewOn, now);
        errors.RequireText("reason", command.Reason, 200);
        if (TrainingRules.Enrolled(trainingClass, enrolmentId) is { } problem) return problem;
        if (command.WithdrewOn < trainingClass.Enrolments[enrolmentId].EnrolledOn)
            errors.Add("withdrewOn", $"is before the enrolment ({trainingClass.Enrolments[enrolmentId].EnrolledOn:yyyy-MM-dd}).");
        return errors.ToProblem();
    }

    [WolverinePost("/api/training-classes/{classId}/enrolments/{enrolmentId}/withdrawal"), Tags("Training and employment")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.TrainingAndEmployment)]
    public static (EnrolmentSaved, Events) Post(WithdrawTrainee command,
        [WriteModel("classId", AlwaysEnforceConsistency = true)] TrainingClass trainingClass, Guid enrolmentId,
        DataProtector? family)
    {
        var seat = trainingClass.Enrolments[enrolmentId];
        return (new EnrolmentSaved(trainingClass.Id, enrolmentId),
            [new TraineeWithdrew(trainingClass.Id, enrolmentId, seat.CaregiverFamilyId, seat.MemberId,
                command.WithdrewOn!.Value, family!.SealText(SealedFields.Reason, command.Reason!.Trim()))]);
    }
}
