using Relief.Core.Protection;
using Marten.Events.Aggregation;
using Relief.Api.Audit.Corrections;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>
/// The stored view of one job placement (inline). The weekly report counts placements as these
/// documents by <c>PlacedOn</c>, and by <c>Channel</c>.
/// </summary>
public sealed class JobPlacementDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid CaregiverFamilyId { get; set; }
    public Guid MemberId { get; set; }
    public ProtectedValue MemberName { get; set; } = new("", "");
    public string Township { get; set; } = "";
    public PlacementChannel Channel { get; set; }
    public string Employer { get; set; } = "";
    public DateOnly PlacedOn { get; set; }

    /// <summary>The granted public-welfare post case this placement is the job of (unique: a post is placed once).</summary>
    public Guid? CaseId { get; set; }

    /// <summary>Set when the placement was recorded by exception to the eligibility chain.</summary>
    public EligibilityException? Exception { get; set; }
}

public sealed partial class JobPlacementDetailsProjection : SingleStreamProjection<JobPlacementDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, JobPlacementDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static JobPlacementDetails? Create(EntryVoided e) => null;

    public static JobPlacementDetails Create(JobPlaced e) => new()
    {
        Id = e.PlacementId, CaregiverFamilyId = e.CaregiverFamilyId, MemberId = e.MemberId, MemberName = e.MemberName,
        Township = e.Township, Channel = e.Channel, Employer = e.Employer, PlacedOn = e.PlacedOn, CaseId = e.CaseId,
    };

    /// <summary>An exception is recorded on the stream it covers; on a stream of another kind it makes no placement.</summary>
    public static JobPlacementDetails? Create(EligibilityExceptionGranted e) => null;

    public static void Apply(EligibilityExceptionGranted e, JobPlacementDetails view) => view.Exception = EligibilityException.Of(e);
}
