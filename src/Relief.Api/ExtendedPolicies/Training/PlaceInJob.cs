using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
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

/// <summary>
/// Record that a member of a caregiver family was placed in a job (就业安置). A placement on a
/// public-welfare post is the job of the family's granted <c>PublicWelfarePost</c> case, named by
/// <c>CaseId</c> (required for that channel, refused for the others); <c>Employer</c> may then be left
/// out (the post's employer). The family must hold a kinship, neighbour or assigned-helper agreement
/// in force on <c>PlacedOn</c> (<see cref="EligibilityChain"/>), or the request carries an <c>Exception</c>.
/// </summary>
public sealed record PlaceInJob(
    [property: Required] Guid? CaregiverFamilyId,
    [property: Required] Guid? MemberId,
    [property: Required] PlacementChannel? Channel,
    [property: MaxLength(100)] string? Employer,
    DateOnly? PlacedOn,
    Guid? CaseId = null,
    EligibilityExceptionInput? Exception = null) : IHasExample<PlaceInJob>
{
    public static PlaceInJob Example { get; } = new(ExampleIds.Family, ExampleIds.FamilyMember, PlacementChannel.EnterpriseMatching, "武陟县宏达电气有限公司", new DateOnly(2020, 10, 1));
}

/// <summary>What a placement is decided on: the member, and for a public-welfare post its case and the placement it already has.</summary>
public sealed record PlacementContext(FamilyMemberCandidate Candidate, PolicyCaseDetails? Case, JobPlacementDetails? CasePlacement);

public static class PlaceInJobEndpoint
{
    public static async Task<PlacementContext> LoadAsync(PlaceInJob command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var candidate = await FamilyMemberCandidate.LoadAsync(command.CaregiverFamilyId, session, vault, token);
        if (command.CaseId is not { } caseId) return new PlacementContext(candidate, null, null);
        var policyCase = await session.LoadAsync<PolicyCaseDetails>(caseId, token);
        var placement = await session.Query<JobPlacementDetails>().Where(p => p.CaseId == caseId).FirstOrDefaultAsync(token);
        return new PlacementContext(candidate, policyCase, placement);
    }

    public static ProblemDetails Validate(PlaceInJob command, PlacementContext context, Caller caller, OwnershipTable ownership,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.CaregiverFamilyId is null) errors.Add("caregiverFamilyId", "is required.");
        if (command.MemberId is null) errors.Add("memberId", "is required.");
        if (command.Channel is null) errors.Add("channel", "is required.");
        var onPost = command.Channel == PlacementChannel.PublicWelfarePost;
        if (onPost && command.CaseId is null)
            errors.Add("caseId", "is required on a public-welfare post: name the family's granted PublicWelfarePost case.");
        else if (!onPost && command.Channel is not null && command.CaseId is not null)
            errors.Add("caseId", "is given only for a placement on a public-welfare post.");
        if (onPost && command.CaseId is not null) errors.OptionalText("employer", command.Employer, 100);
        else errors.RequireText("employer", command.Employer, 100);
        TrainingRules.RequirePastDate(errors, "placedOn", command.PlacedOn, now);
        EligibilityChain.ValidateException(errors, command.Exception);
        if (errors.Any) return errors.ToProblem();

        var familyId = command.CaregiverFamilyId!.Value;
        var candidate = context.Candidate;
        return Problems.FirstOf(
            TrainingRules.MemberOf(candidate, familyId, command.MemberId!.Value),
            onPost ? TrainingRules.PostToPlace(context.Case, context.CasePlacement, command.CaseId!.Value, familyId) : null,
            EligibilityChain.Check(familyId, candidate.Agreements, command.PlacedOn!.Value, command.Exception, caller, ownership,
                "A job placement"));
    }

    [WolverinePost("/api/job-placements"), Tags("Training and employment")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.TrainingAndEmployment)]
    public static (Created, IStartStream) Post(PlaceInJob command, PlacementContext context, Caller caller, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var candidate = context.Candidate;
        var family = candidate.Family!;
        var member = candidate.Member(command.MemberId!.Value)!;
        var employer = string.IsNullOrWhiteSpace(command.Employer) ? context.Case!.Facts!.Post!.Employer : command.Employer.Trim();
        var placed = new JobPlaced(id, family.Id, member.MemberId, candidate.SealedNameOf(member.MemberId),
            family.Township, command.Channel!.Value, employer, command.PlacedOn!.Value, command.CaseId);
        var exception = EligibilityChain.Granted(command.Exception, id, EligibilitySubject.JobPlacement, family.Id, family.Township,
            placed.PlacedOn, caller, () => candidate.Keys.Record(family.Id));
        object[] events = exception is null ? [placed] : [placed, exception];
        return (new Created(id, $"/api/job-placements/{id}"), MartenOps.StartStream<JobPlacement>(id, events));
    }
}
