using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

/// <summary>A trainee: counted as trained from their first completed class.</summary>
public sealed class DispatchTrainee : IDispatchSubject
{
    /// <summary>The trainee (the family member) an event is about, when it is one of theirs.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        ExtendedPolicies.Training.TraineeEnrolled e => e.MemberId,
        ExtendedPolicies.Training.TrainingCompleted e => e.MemberId,
        _ => null,
    };
    public void Apply(object data)
    {
        switch (data)
        {
            case ExtendedPolicies.Training.TraineeEnrolled e: Apply(e); break;
            case ExtendedPolicies.Training.TrainingCompleted e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public Dictionary<Guid, DateOnly> Completions { get; set; } = [];

    public void Apply(ExtendedPolicies.Training.TraineeEnrolled e)
    {
        Id = e.MemberId;
        Township = e.Township;
    }

    public void Apply(ExtendedPolicies.Training.TrainingCompleted e) => Completions[e.EnrolmentId] = e.CompletedOn;

    public Contribution Contribution() =>
        Completions.Count == 0 || Township.Length == 0
            ? Engine.Contribution.None
            : new Contribution([new Span(M.PeopleTrained, Township, Completions.Values.Min(), null)], []);
}
