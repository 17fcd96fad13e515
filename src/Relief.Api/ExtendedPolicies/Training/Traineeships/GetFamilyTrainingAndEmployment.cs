using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>A caregiver family's training (every enrolment, in the order enrolled) and job placements (by date).</summary>
public sealed record FamilyTrainingAndEmployment(
    Guid CaregiverFamilyId,
    IReadOnlyList<TraineeshipResponse> Training,
    IReadOnlyList<JobPlacementResponse> Placements);

public static class GetFamilyTrainingAndEmploymentEndpoint
{
    public static Task<CaregiverFamilyDetails?> LoadAsync(Guid familyId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<CaregiverFamilyDetails>(familyId, token);

    public static ProblemDetails Validate(CaregiverFamilyDetails? family, Guid familyId, string? memberId, Caller caller)
    {
        if (family is not { Registered: true }) return CaregiverFamilyRules.NotFound(familyId);
        if (CaregiverFamilyRules.Access(family.Township, caller) is { } forbidden) return forbidden;
        var errors = new FieldErrors();
        if (memberId is not null && !Guid.TryParse(memberId, out _)) errors.Add("memberId", "is not a member id.");
        return errors.ToProblem();
    }

    /// <summary>The training and job placements of a family's members; <c>memberId</c> narrows to one member.</summary>
    [WolverineGet("/api/caregiver-families/{familyId}/training-and-employment"), Tags("Training and employment")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<FamilyTrainingAndEmployment> Get(Guid familyId, string? memberId, IQuerySession session,
        PersonalDataVault vault, Caller caller, CancellationToken token)
    {
        var training = session.Query<Traineeship>().Where(x => x.CaregiverFamilyId == familyId);
        var placements = session.Query<JobPlacementDetails>().Where(x => x.CaregiverFamilyId == familyId);
        if (memberId is not null)
        {
            var member = Guid.Parse(memberId);
            training = training.Where(x => x.MemberId == member);
            placements = placements.Where(x => x.MemberId == member);
        }

        var trainees = await training.OrderBy(x => x.Id).ToListAsync(token);
        var placed = await placements.OrderBy(x => x.PlacedOn).ThenBy(x => x.Id).ToListAsync(token);
        var keys = await vault.Keys(session, [], trainees.Select(t => t.MemberId).Concat(placed.Select(p => p.MemberId)).ToList(), token);
        return new FamilyTrainingAndEmployment(familyId,
            trainees.Select(t => TraineeshipResponse.Of(t, keys, caller.Has(Scopes.PiiRead))).ToList(),
            placed.Select(p => JobPlacementResponse.Of(p, keys)).ToList());
    }
}
