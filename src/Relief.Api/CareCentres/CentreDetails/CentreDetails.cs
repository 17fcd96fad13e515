using JasperFx.Events;
using Marten.Events.Aggregation;
using Relief.Api.Audit.Corrections;

namespace Relief.Api.CareCentres;

/// <summary>
/// The stored view of one care centre, updated inline with its events, so a read right after a write
/// sees it. Public and stable: other modules may read it by centre id. Residents and trial stays are
/// the active ones; <c>Occupied</c> counts both (each holds a bed).
/// </summary>
public sealed class CentreDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string Township { get; set; } = "";
    public CentreBasis BasedOn { get; set; }
    public DateOnly OpenedOn { get; set; }
    public int Beds { get; set; }
    public int Occupied { get; set; }
    public int Free { get; set; }
    public List<CentreResident> Residents { get; set; } = [];
    public List<CentreTrialStay> TrialStays { get; set; } = [];
    /// <summary>How many of each five-in-one service the centre has delivered, over all stays.</summary>
    public Dictionary<CentreService, int> ServicesDelivered { get; set; } = [];
}

/// <summary>An admitted resident: the stay and the person, since when.</summary>
public sealed record CentreResident(Guid StayId, Guid HouseholdId, Guid MemberId, DateOnly Since);

/// <summary>An active trial stay; past <c>Until</c> it still holds its bed until ended or converted.</summary>
public sealed record CentreTrialStay(Guid StayId, Guid HouseholdId, Guid MemberId, DateOnly From, DateOnly Until);

public sealed partial class CentreDetailsProjection : SingleStreamProjection<CentreDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, CentreDetails view)
    {
    }

    /// <summary>A correction on a stream that is not a centre's makes no view.</summary>
    public static CentreDetails? Create(EntryVoided e) => null;

    public static CentreDetails Create(IEvent<CareCentreRegistered> e) => new()
    {
        Id = e.Data.CentreId, Name = e.Data.Name, Township = e.Data.Township, BasedOn = e.Data.BasedOn,
        OpenedOn = e.Data.OpenedOn, Beds = e.Data.Beds, Free = e.Data.Beds,
    };

    public static void Apply(CentreBedsChanged e, CentreDetails view)
    {
        view.Beds = e.Beds;
        Count(view);
    }

    public static void Apply(ResidentAdmitted e, CentreDetails view)
    {
        view.Residents.Add(new CentreResident(e.StayId, e.HouseholdId, e.MemberId, e.AdmittedOn));
        Count(view);
    }

    public static void Apply(ResidentTransferredIn e, CentreDetails view)
    {
        view.Residents.Add(new CentreResident(e.StayId, e.HouseholdId, e.MemberId, e.On));
        Count(view);
    }

    public static void Apply(TrialStayStarted e, CentreDetails view)
    {
        view.TrialStays.Add(new CentreTrialStay(e.StayId, e.HouseholdId, e.MemberId, e.From, e.Until));
        Count(view);
    }

    public static void Apply(TrialStayConverted e, CentreDetails view) => Leave(view, e.StayId);

    public static void Apply(TrialStayEnded e, CentreDetails view) => Leave(view, e.StayId);

    public static void Apply(ResidentDischarged e, CentreDetails view) => Leave(view, e.StayId);

    public static void Apply(ResidentTransferredOut e, CentreDetails view) => Leave(view, e.StayId);

    public static void Apply(CentreServiceDelivered e, CentreDetails view) =>
        view.ServicesDelivered[e.Service] = view.ServicesDelivered.GetValueOrDefault(e.Service) + 1;

    private static void Leave(CentreDetails view, Guid stayId)
    {
        var removed = view.Residents.RemoveAll(r => r.StayId == stayId) + view.TrialStays.RemoveAll(t => t.StayId == stayId);
        if (removed != 1) throw new InvalidOperationException($"Stay {stayId} is not active in centre {view.Id}.");
        Count(view);
    }

    private static void Count(CentreDetails view)
    {
        view.Occupied = view.Residents.Count + view.TrialStays.Count;
        view.Free = view.Beds - view.Occupied;
    }
}
