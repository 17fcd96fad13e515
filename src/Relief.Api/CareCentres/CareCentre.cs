using Relief.Core.Protection;
using Relief.Api.Audit.Corrections;
using Relief.Api.Households;
using Relief.Core.Events;

namespace Relief.Api.CareCentres;

// The care centre stream (医养中心): its events and its write model. Every stay of a resident in
// a centre (admission, trial stay, discharge, transfer, services) is recorded on the centre's own
// stream, so that the centre's stream version serialises every decision about its beds.

/// <summary>What a centre was built on.</summary>
public enum CentreBasis
{
    /// <summary>敬老院: a nursing home.</summary>
    NursingHome,
    /// <summary>乡镇卫生院: a township health centre.</summary>
    TownshipHealthCentre,
}

/// <summary>The five-in-one services (五位一体) a centre delivers free of charge.</summary>
public enum CentreService
{
    /// <summary>医疗</summary>
    MedicalCare,
    /// <summary>保健</summary>
    HealthCare,
    /// <summary>康复</summary>
    Rehabilitation,
    /// <summary>娱乐</summary>
    Recreation,
    /// <summary>护理 / 养老</summary>
    Nursing,
}

/// <summary>What kind of stay: a free, time-boxed trial (试住) or an admission (入住).</summary>
public enum StayKind { Trial, Admission }

/// <summary>Where a stay stands. Only <c>Active</c> stays hold a bed.</summary>
public enum StayStatus
{
    /// <summary>The person is in the centre under this stay.</summary>
    Active,
    /// <summary>A trial stay that became an admission (a new stay, named by <c>ConvertedToStayId</c>).</summary>
    Converted,
    /// <summary>A trial stay that ended without an admission.</summary>
    Ended,
    /// <summary>An admission that ended with a discharge (离开).</summary>
    Discharged,
    /// <summary>An admission that continues in another centre (a new stay, named by <c>TransferredToStayId</c>).</summary>
    TransferredOut,
}

/// <summary>A care centre was registered with its beds.</summary>
public sealed record CareCentreRegistered(
    Guid CentreId,
    string Name,
    string Township,
    int Beds,
    CentreBasis BasedOn,
    DateOnly OpenedOn) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => OpenedOn;
}

/// <summary>The centre now has <c>Beds</c> beds (it had <c>PreviousBeds</c>).</summary>
public sealed record CentreBedsChanged(Guid CentreId, int PreviousBeds, int Beds, string Reason, DateOnly ChangedOn) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChangedOn;
}

/// <summary>
/// A resident was admitted. <c>DisabilityType</c> is the member's as recorded in the household on
/// admission; it selects the monthly funding rate.
/// </summary>
public sealed record ResidentAdmitted(
    Guid CentreId,
    Guid StayId,
    Guid HouseholdId,
    Guid MemberId,
    DateOnly AdmittedOn,
    DisabilityType? DisabilityType) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AdmittedOn;
}

/// <summary>A free trial stay began on <c>From</c>, planned to last until <c>Until</c> (inclusive).</summary>
public sealed record TrialStayStarted(
    Guid CentreId,
    Guid StayId,
    Guid HouseholdId,
    Guid MemberId,
    DateOnly From,
    DateOnly Until) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => From;
}

/// <summary>
/// A trial stay became an admission on <c>AdmittedOn</c>. It is always followed on the same stream
/// by the <see cref="ResidentAdmitted"/> of the new stay <c>AdmissionStayId</c>.
/// </summary>
public sealed record TrialStayConverted(Guid CentreId, Guid StayId, Guid AdmissionStayId, DateOnly AdmittedOn) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AdmittedOn;
}

/// <summary>
/// A trial stay ended without an admission; <c>EndedOn</c> is its last day. The reason is about the
/// resident: sealed under the key of the stay's household.
/// </summary>
public sealed record TrialStayEnded(Guid CentreId, Guid StayId, DateOnly EndedOn, ProtectedValue Reason) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => EndedOn;
}

/// <summary>
/// A resident left the centre (离开); <c>DischargedOn</c> is the day they left. The reason is sealed
/// under the key of the stay's household.
/// </summary>
public sealed record ResidentDischarged(Guid CentreId, Guid StayId, DateOnly DischargedOn, ProtectedValue Reason) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => DischargedOn;
}

/// <summary>
/// A resident moved to another centre on <c>On</c>: the stay ends here and continues as
/// <c>NewStayId</c> there (see <see cref="ResidentTransferredIn"/>, recorded in the same transaction).
/// </summary>
public sealed record ResidentTransferredOut(Guid CentreId, Guid StayId, Guid ToCentreId, Guid NewStayId, DateOnly On) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => On;
}

/// <summary>A resident arrived from another centre on <c>On</c>, as the new admission <c>StayId</c>.</summary>
public sealed record ResidentTransferredIn(
    Guid CentreId,
    Guid StayId,
    Guid FromCentreId,
    Guid FromStayId,
    Guid HouseholdId,
    Guid MemberId,
    DateOnly On,
    DisabilityType? DisabilityType) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => On;
}

/// <summary>
/// One of the five-in-one services was delivered to the person of a stay. The note is about that
/// resident (it may hold health details): sealed under the key of the stay's household.
/// </summary>
public sealed record CentreServiceDelivered(
    Guid CentreId,
    Guid StayId,
    CentreService Service,
    DateOnly DeliveredOn,
    ProtectedValue? Note) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => DeliveredOn;
}

/// <summary>A stay that holds a bed, as the write model knows it.</summary>
public sealed record OccupiedBed(
    Guid StayId,
    StayKind Kind,
    Guid HouseholdId,
    Guid MemberId,
    DateOnly From,
    DateOnly? Until,
    DisabilityType? DisabilityType);

/// <summary>
/// The write model of a care centre: its beds and the stays that occupy them. Admitted residents and
/// active trial stays each hold one bed; ended stays are forgotten here (they live on in
/// <see cref="CentreStay"/> and the events). Kept as an inline snapshot, since a centre's stream grows
/// with every service delivered: every event a centre stream can hold has an Apply here, so that the
/// snapshot's <see cref="Version"/> is always the stream's.
/// </summary>
public sealed class CareCentre
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string Township { get; set; } = "";
    public int Beds { get; set; }
    public DateOnly OpenedOn { get; set; }
    public Dictionary<Guid, OccupiedBed> Stays { get; set; } = [];

    /// <summary>Beds held by admitted residents and active trial stays.</summary>
    public int Occupied => Stays.Count;

    public int Free => Beds - Occupied;

    public static CareCentre Create(CareCentreRegistered e) => new()
    {
        Id = e.CentreId, Name = e.Name, Township = e.Township, Beds = e.Beds, OpenedOn = e.OpenedOn,
    };

    public void Apply(CentreBedsChanged e) => Beds = e.Beds;

    public void Apply(CentreServiceDelivered e)
    {
    }

    public void Apply(EntryVoided e)
    {
    }

    /// <summary>A correction on a stream of another kind makes no write model.</summary>
    public static CareCentre? Create(EntryVoided e) => null;

    public void Apply(ResidentAdmitted e) =>
        Stays[e.StayId] = new OccupiedBed(e.StayId, StayKind.Admission, e.HouseholdId, e.MemberId, e.AdmittedOn, null, e.DisabilityType);

    public void Apply(TrialStayStarted e) =>
        Stays[e.StayId] = new OccupiedBed(e.StayId, StayKind.Trial, e.HouseholdId, e.MemberId, e.From, e.Until, null);

    public void Apply(TrialStayConverted e) => Stays.Remove(e.StayId);

    public void Apply(TrialStayEnded e) => Stays.Remove(e.StayId);

    public void Apply(ResidentDischarged e) => Stays.Remove(e.StayId);

    public void Apply(ResidentTransferredOut e) => Stays.Remove(e.StayId);

    public void Apply(ResidentTransferredIn e) =>
        Stays[e.StayId] = new OccupiedBed(e.StayId, StayKind.Admission, e.HouseholdId, e.MemberId, e.On, null, e.DisabilityType);
}
