using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Events;
using Relief.Core.Protection;
namespace Relief.Api.ExtendedPolicies.Training;

// The job placement stream (就业安置): one small stream per placement.

/// <summary>How a job was found.</summary>
public enum PlacementChannel
{
    /// <summary>企业对接</summary>
    EnterpriseMatching,
    /// <summary>公益岗位</summary>
    PublicWelfarePost,
    /// <summary>推荐安排</summary>
    Recommendation,
}

/// <summary>
/// A member of a caregiver family was placed in a job with <c>Employer</c> on <c>PlacedOn</c>, through
/// <c>Channel</c>. <c>Township</c> is the family's, for the reports. <c>MemberName</c> is sealed under the
/// member's own key. <c>CaseId</c> is the granted <c>PublicWelfarePost</c> case whose job this is (a
/// placement on a public-welfare post always names it; other channels never do).
/// </summary>
public sealed record JobPlaced(
    Guid PlacementId,
    Guid CaregiverFamilyId,
    Guid MemberId,
    [property: SealedAs(MemberFields.Name)] ProtectedValue MemberName,
    string Township,
    PlacementChannel Channel,
    string Employer,
    DateOnly PlacedOn,
    Guid? CaseId = null) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => PlacedOn;
}

/// <summary>The write model of a placement: nothing changes it yet.</summary>
public sealed class JobPlacement
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid CaregiverFamilyId { get; set; }
    public Guid MemberId { get; set; }

    public static JobPlacement Create(JobPlaced e) => new()
    {
        Id = e.PlacementId, CaregiverFamilyId = e.CaregiverFamilyId, MemberId = e.MemberId,
    };
}
