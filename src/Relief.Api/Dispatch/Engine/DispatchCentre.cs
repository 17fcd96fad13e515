using Relief.Api.CareCentres;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

/// <summary>A care centre and the stays on its stream: residents and trial stays while they last.</summary>
public sealed class DispatchCentre : IDispatchSubject
{
    /// <summary>The centre an event is about, when it is one of its events (stays are on the centre's stream).</summary>
    public static Guid? IdOf(object data) => data switch
    {
        CareCentreRegistered e => e.CentreId,
        ResidentAdmitted e => e.CentreId,
        ResidentTransferredIn e => e.CentreId,
        ResidentTransferredOut e => e.CentreId,
        ResidentDischarged e => e.CentreId,
        TrialStayStarted e => e.CentreId,
        TrialStayConverted e => e.CentreId,
        TrialStayEnded e => e.CentreId,
        _ => null,
    };
    public void Apply(object data)
    {
        switch (data)
        {
            case CareCentreRegistered e: Apply(e); break;
            case ResidentAdmitted e: Apply(e); break;
            case ResidentTransferredIn e: Apply(e); break;
            case ResidentTransferredOut e: Apply(e); break;
            case ResidentDischarged e: Apply(e); break;
            case TrialStayStarted e: Apply(e); break;
            case TrialStayConverted e: Apply(e); break;
            case TrialStayEnded e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public DateOnly OpenedOn { get; set; }
    public Dictionary<Guid, DispatchStay> Stays { get; set; } = [];

    public void Apply(CareCentreRegistered e)
    {
        Id = e.CentreId;
        Township = e.Township;
        OpenedOn = e.OpenedOn;
    }

    public void Apply(ResidentAdmitted e) => Stays[e.StayId] = new DispatchStay(StayKind.Admission, e.AdmittedOn, null);

    public void Apply(ResidentTransferredIn e) => Stays[e.StayId] = new DispatchStay(StayKind.Admission, e.On, null);

    public void Apply(TrialStayStarted e) => Stays[e.StayId] = new DispatchStay(StayKind.Trial, e.From, Days.After(e.Until));

    public void Apply(TrialStayConverted e) => End(e.StayId, e.AdmittedOn);

    public void Apply(TrialStayEnded e) => End(e.StayId, Days.After(e.EndedOn)!.Value);

    public void Apply(ResidentDischarged e) => End(e.StayId, e.DischargedOn);

    public void Apply(ResidentTransferredOut e) => End(e.StayId, e.On);

    private void End(Guid stayId, DateOnly until)
    {
        if (Stays.TryGetValue(stayId, out var stay)) Stays[stayId] = stay with { Until = Days.Earlier(stay.Until, until) };
    }

    public Contribution Contribution()
    {
        if (Township.Length == 0) return Engine.Contribution.None;
        var spans = new List<Span> { new(M.CareCentres, Township, OpenedOn, null) };
        spans.AddRange(Stays.Values.Select(s =>
            new Span(s.Kind == StayKind.Admission ? M.CentreResidents : M.TrialStays, Township, s.From, s.Until)));
        return new Contribution(spans, []);
    }
}

/// <summary>A stay as the report counts it.</summary>
public sealed record DispatchStay(StayKind Kind, DateOnly From, DateOnly? Until);
