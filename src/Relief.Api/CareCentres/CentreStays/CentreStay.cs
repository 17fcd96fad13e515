using Relief.Core.Protection;
using Marten.Events.Projections;
using Relief.Api.Households;

namespace Relief.Api.CareCentres;

/// <summary>
/// One stay of one person in one centre, as other modules may read it (a public, stable document):
/// find a household's stays by <c>HouseholdId</c> (indexed), a person's by <c>MemberId</c> (indexed).
/// A stay is one kind in one centre for one contiguous period: converting a trial or transferring a
/// resident ends the stay (<c>Converted</c>, <c>TransferredOut</c>) and starts a new admission stay
/// that names where it came from. A centralised-care agreement rests on a stay with
/// <c>Kind = Admission</c> and <c>Status = Active</c>.
/// Updated inline, in the transaction of the centre's events.
/// </summary>
public sealed class CentreStay
{
    /// <summary>The stay id (Guid v7), as in the centre's events.</summary>
    public Guid Id { get; set; }
    public Guid CentreId { get; set; }
    public Guid HouseholdId { get; set; }
    public Guid MemberId { get; set; }
    public StayKind Kind { get; set; }
    public StayStatus Status { get; set; }
    /// <summary>First day of the stay: admission day, trial start or transfer day.</summary>
    public DateOnly From { get; set; }
    /// <summary>A trial's planned last day; null for admissions.</summary>
    public DateOnly? Until { get; set; }
    /// <summary>The day the stay ended (discharge, trial end, conversion or transfer day); null while active.</summary>
    public DateOnly? To { get; set; }
    /// <summary>Why it ended, when a reason was given (trial end, discharge): sealed under the household's key, as in the event.</summary>
    public ProtectedValue? EndReason { get; set; }
    /// <summary>The member's disability type on admission; null for trials and members without one.</summary>
    public DisabilityType? DisabilityType { get; set; }
    /// <summary>The admission this trial became.</summary>
    public Guid? ConvertedToStayId { get; set; }
    /// <summary>The centre and stay the resident was transferred to.</summary>
    public Guid? TransferredToCentreId { get; set; }
    public Guid? TransferredToStayId { get; set; }
    /// <summary>The centre and stay the resident was transferred from.</summary>
    public Guid? TransferredFromCentreId { get; set; }
    public Guid? TransferredFromStayId { get; set; }
    /// <summary>Set when the stay was given by exception to the admission rule: by whom, when and why.</summary>
    public AdmissionException? Exception { get; set; }
    /// <summary>How many of each five-in-one service were delivered during this stay.</summary>
    public Dictionary<CentreService, int> ServicesDelivered { get; set; } = [];
}

/// <summary>Builds <see cref="CentreStay"/> from the events of every centre stream, keyed by stay id.</summary>
public sealed partial class CentreStayProjection : MultiStreamProjection<CentreStay, Guid>
{
    public CentreStayProjection()
    {
        Identity<ResidentAdmitted>(e => e.StayId);
        Identity<TrialStayStarted>(e => e.StayId);
        Identity<TrialStayConverted>(e => e.StayId);
        Identity<TrialStayEnded>(e => e.StayId);
        Identity<ResidentDischarged>(e => e.StayId);
        Identity<ResidentTransferredOut>(e => e.StayId);
        Identity<ResidentTransferredIn>(e => e.StayId);
        Identity<CentreServiceDelivered>(e => e.StayId);
        Identity<AdmissionExceptionGranted>(e => e.StayId);
    }

    public static CentreStay Create(ResidentAdmitted e) => new()
    {
        Id = e.StayId, CentreId = e.CentreId, HouseholdId = e.HouseholdId, MemberId = e.MemberId,
        Kind = StayKind.Admission, Status = StayStatus.Active, From = e.AdmittedOn, DisabilityType = e.DisabilityType,
    };

    public static CentreStay Create(TrialStayStarted e) => new()
    {
        Id = e.StayId, CentreId = e.CentreId, HouseholdId = e.HouseholdId, MemberId = e.MemberId,
        Kind = StayKind.Trial, Status = StayStatus.Active, From = e.From, Until = e.Until,
    };

    public static CentreStay Create(ResidentTransferredIn e) => new()
    {
        Id = e.StayId, CentreId = e.CentreId, HouseholdId = e.HouseholdId, MemberId = e.MemberId,
        Kind = StayKind.Admission, Status = StayStatus.Active, From = e.On, DisabilityType = e.DisabilityType,
        TransferredFromCentreId = e.FromCentreId, TransferredFromStayId = e.FromStayId,
    };

    public static void Apply(TrialStayConverted e, CentreStay stay)
    {
        stay.Status = StayStatus.Converted;
        stay.To = e.AdmittedOn;
        stay.ConvertedToStayId = e.AdmissionStayId;
    }

    public static void Apply(TrialStayEnded e, CentreStay stay)
    {
        stay.Status = StayStatus.Ended;
        stay.To = e.EndedOn;
        stay.EndReason = e.Reason;
    }

    public static void Apply(ResidentDischarged e, CentreStay stay)
    {
        stay.Status = StayStatus.Discharged;
        stay.To = e.DischargedOn;
        stay.EndReason = e.Reason;
    }

    public static void Apply(ResidentTransferredOut e, CentreStay stay)
    {
        stay.Status = StayStatus.TransferredOut;
        stay.To = e.On;
        stay.TransferredToCentreId = e.ToCentreId;
        stay.TransferredToStayId = e.NewStayId;
    }

    public static void Apply(AdmissionExceptionGranted e, CentreStay stay) =>
        stay.Exception = new AdmissionException(e.GrantedOn, e.GrantedBy, e.Reason);

    public static void Apply(CentreServiceDelivered e, CentreStay stay) =>
        stay.ServicesDelivered[e.Service] = stay.ServicesDelivered.GetValueOrDefault(e.Service) + 1;
}
