namespace Relief.Api.Dispatch.Engine;

// What the weekly dispatch projection remembers of each thing it counts, as documents of their own:
// small, one per household, centre, caregiver family, policy case and trainee, loaded only when one
// of their events arrives. Each says what it contributes to the report; the projection counts the
// difference between before and after an event.

/// <summary>
/// A subject of the report: a thing whose contribution changes with its events. Each subject says
/// which events are its own (a static <c>IdOf</c>: the subject's id in the event, or null) and
/// applies them in <see cref="Apply"/>.
/// </summary>
public interface IDispatchSubject
{
    Guid Id { get; set; }

    /// <summary>
    /// The sequences of the events applied to it, in order: what it is folded again from, without
    /// the voided one, when one of them is voided (<c>EntryVoided</c>). Null for a subject written
    /// before subjects kept them: its list would be incomplete, so it is never started late.
    /// </summary>
    List<long>? Events { get; set; }

    /// <summary>Applies one of the subject's own events.</summary>
    void Apply(object data);

    Contribution Contribution();
}
