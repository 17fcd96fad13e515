using Relief.Api.Supervision;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

/// <summary>A verification round (逐户核实): open from the day it opened to the day it closed, closed from then on.</summary>
public sealed class DispatchRound : IDispatchSubject
{
    /// <summary>The round an event is about, when it is one of its events.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        VerificationRoundOpened e => e.RoundId,
        VerificationRoundClosed e => e.RoundId,
        _ => null,
    };

    public void Apply(object data)
    {
        switch (data)
        {
            case VerificationRoundOpened e:
                Township = e.Township;
                OpenedOn = e.OpenedOn;
                break;
            case VerificationRoundClosed e:
                ClosedOn = e.ClosedOn;
                break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public DateOnly OpenedOn { get; set; }
    public DateOnly? ClosedOn { get; set; }

    public Contribution Contribution() =>
        Township.Length == 0
            ? Engine.Contribution.None
            : new Contribution(ClosedOn is { } closed
                ? [new Span(M.VerificationRoundsOpen, Township, OpenedOn, closed), new Span(M.VerificationRoundsClosed, Township, closed, null)]
                : [new Span(M.VerificationRoundsOpen, Township, OpenedOn, null)], []);
}
