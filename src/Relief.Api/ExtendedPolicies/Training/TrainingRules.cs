using Relief.Api.Households;
using Relief.Core.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Core.Calendar;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>The caregiver-family member a training or placement decision is about, as its stored view knows them.</summary>
/// <param name="Family">The family's stored view, null when there is no such (registered) family.</param>
/// <param name="Keys">The family's key (to seal what is said about it) and its members' keys (to read a name and to seal it for another stream).</param>
/// <param name="Agreements">The care agreements the family holds or held as caregiver (the eligibility chain).</param>
public sealed record FamilyMemberCandidate(CaregiverFamilyDetails? Family, KeyChain Keys, IReadOnlyList<CareAgreementDetails> Agreements)
{
    public static readonly FamilyMemberCandidate None = new(null, KeyChain.Empty, []);

    /// <summary>The family, its key and its members' keys, in one round trip.</summary>
    public static async Task<FamilyMemberCandidate> LoadAsync(Guid? familyId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        if (familyId is not { } id) return None;
        var batch = session.CreateBatchQuery();
        var familyQuery = batch.Load<CaregiverFamilyDetails>(id);
        var familyKeyQuery = batch.Load<HouseholdDataKey>(id);
        var keysQuery = batch.Query<PersonDataKey>().Where(k => k.HolderId == id).ToList();
        var agreementsQuery = batch.Query<CareAgreementDetails>().Where(a => a.Caregiver.CaregiverFamilyId == id).ToList();
        await batch.Execute(token);
        return await familyQuery is { Registered: true } family
            ? new FamilyMemberCandidate(family, vault.Chain([id], await familyKeyQuery is { } familyKey ? [familyKey] : [],
                    family.Members.Select(m => m.MemberId), await keysQuery),
                await agreementsQuery)
            : None;
    }

    public CaregiverFamilyMemberDetails? Member(Guid memberId) => Family?.Members.FirstOrDefault(m => m.MemberId == memberId);

    /// <summary>The member's name, opened with their key; null when they are not a member or were erased.</summary>
    public string? NameOf(Guid memberId) =>
        Member(memberId) is { } member
            ? Keys.Open<FamilyMemberPersonalData>(MemberFields.Personal, member.Member.Personal)?.Name
            : null;

    /// <summary>The member's name sealed on its own under their key, for another stream to name them by.</summary>
    public ProtectedValue SealedNameOf(Guid memberId) =>
        Keys.Person(memberId).Protect(MemberFields.Name, NameOf(memberId)
            ?? throw new InvalidOperationException($"Member {memberId} has no readable name."));
}

/// <summary>The rules every decision about training classes and job placements obeys.</summary>
public static class TrainingRules
{
    /// <summary>The largest class.</summary>
    public const int MaxCapacity = 500;

    /// <summary>404: there is no such training class.</summary>
    public static ProblemDetails NotFound(Guid classId) => Problems.NotFound("No such training class.", $"There is no training class {classId}.");

    /// <summary><c>{classId}</c> names a training class on every write route.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<TrainingClass>("classId", NotFound);

    /// <summary>404: the class has no enrolment with this id.</summary>
    public static ProblemDetails EnrolmentNotFound(TrainingClass trainingClass, Guid enrolmentId) => Problems.NotFound("No such enrolment.", $"The class '{trainingClass.Title}' has no enrolment {enrolmentId}.");

    /// <summary>404 when the family is unknown or has no such member (a removed member is no member).</summary>
    public static ProblemDetails? MemberOf(FamilyMemberCandidate candidate, Guid familyId, Guid memberId)
    {
        if (candidate.Family is null) return CaregiverFamilyRules.NotFound(familyId);
        if (candidate.Member(memberId) is null)
            return Problems.NotFound("No such member.", $"Caregiver family {familyId} has no member {memberId}.");
        return candidate.NameOf(memberId) is null
            ? Problems.Conflict(ProblemTypes.Conflict, "The member's personal data was erased.",
                $"Member {memberId}'s key was forgotten; no new record can name them.")
            : null;
    }

    /// <summary>409 when the class is over: nobody enrols after its last day.</summary>
    public static ProblemDetails? NotOver(TrainingClass trainingClass, DateOnly today) =>
        today <= trainingClass.EndsOn
            ? null
            : Problems.Conflict(ProblemTypes.Conflict, "The class is over.",
                $"'{trainingClass.Title}' ended on {trainingClass.EndsOn:yyyy-MM-dd}.");

    /// <summary>409 when every seat is taken (enrolled or completed trainees).</summary>
    public static ProblemDetails? FreeSeat(TrainingClass trainingClass) =>
        trainingClass.Free > 0
            ? null
            : Problems.Conflict(ProblemTypes.Conflict, "The class is full.",
                $"All {trainingClass.Capacity} seats of '{trainingClass.Title}' are taken.");

    /// <summary>409 when the member already holds a seat in the class (a withdrawn member may enrol again).</summary>
    public static ProblemDetails? NotEnrolled(TrainingClass trainingClass, Guid memberId, string name)
    {
        var seat = trainingClass.Enrolments.Values.FirstOrDefault(e => e.MemberId == memberId && e.Status != EnrolmentStatus.Withdrawn);
        return seat is null
            ? null
            : Problems.Conflict(ProblemTypes.Conflict, "The member is already enrolled.",
                $"{name} holds enrolment {seat.EnrolmentId} in '{trainingClass.Title}' ({seat.Status}) since {seat.EnrolledOn:yyyy-MM-dd}.");
    }

    /// <summary>The enrolment must exist in this class (404) and still be <c>Enrolled</c> (409).</summary>
    public static ProblemDetails? Enrolled(TrainingClass trainingClass, Guid enrolmentId)
    {
        if (!trainingClass.Enrolments.TryGetValue(enrolmentId, out var seat)) return EnrolmentNotFound(trainingClass, enrolmentId);
        return seat.Status == EnrolmentStatus.Enrolled
            ? null
            : Problems.Conflict(ProblemTypes.Conflict, $"The enrolment is {seat.Status.ToString().ToLowerInvariant()}.",
                $"Enrolment {enrolmentId} in '{trainingClass.Title}' is {seat.Status}; only an enrolled trainee can complete or withdraw.");
    }

    /// <summary>
    /// A placement on a public-welfare post is the job of the family's granted post case, once: the
    /// case must exist (404), be a <c>PublicWelfarePost</c> case of this family (409), granted (409,
    /// also when it was closed after the grant) and not already have its placement (409).
    /// </summary>
    public static ProblemDetails? PostToPlace(PolicyCaseDetails? policyCase, JobPlacementDetails? placement, Guid caseId, Guid familyId)
    {
        if (policyCase is null) return PolicyCaseRules.NotFound(caseId);
        if (policyCase.Policy != ExtendedPolicy.PublicWelfarePost || policyCase.CaregiverFamilyId != familyId)
            return Problems.Conflict(ProblemTypes.Conflict, "Not this family's public-welfare post case.",
                $"Policy case {caseId} is a {policyCase.Policy} case of " +
                $"{(policyCase.CaregiverFamilyId is { } other ? $"caregiver family {other}" : $"household {policyCase.HouseholdId}")}; " +
                $"a placement on a public-welfare post names a PublicWelfarePost case of caregiver family {familyId}.");
        if (policyCase.Outcome != CaseStage.Granted || policyCase.Facts?.Post is null)
            return Problems.Conflict(ProblemTypes.Conflict, "The public-welfare post is not granted.",
                $"Policy case {caseId} is {policyCase.Stage} since {policyCase.StageSince:yyyy-MM-dd}; the post is placed once granted.");
        return placement is null
            ? null
            : Problems.Conflict(ProblemTypes.Conflict, "The public-welfare post is already placed.",
                $"Job placement {placement.Id} of {placement.PlacedOn:yyyy-MM-dd} is the job of policy case {caseId}; a post is placed once.");
    }

    /// <summary>A business date: required, not after today (China time).</summary>
    public static void RequirePastDate(FieldErrors errors, string field, DateOnly? date, DateTimeOffset now)
    {
        if (date is null) errors.Add(field, "is required.");
        else if (date > ChinaTime.Today(now)) errors.Add(field, "must not be in the future.");
    }
}
