using Relief.Core.Protection;
using Marten.Events.Aggregation;
using Relief.Api.Audit.Corrections;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>
/// The stored view of one training class, updated inline with its events. <c>Enrolled</c> counts the
/// trainees still in training, <c>Completed</c> those who finished; both hold a seat.
/// The weekly report counts classes as these documents (by <c>StartsOn</c>).
/// </summary>
public sealed class TrainingClassDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Trade Trade { get; set; }
    public string Title { get; set; } = "";
    public string Provider { get; set; } = "";
    public string? Township { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public int Capacity { get; set; }
    public int Enrolled { get; set; }
    public int Completed { get; set; }
    public int Withdrawn { get; set; }
    public int SeatsFree { get; set; }
    public List<ClassEnrolment> Enrolments { get; set; } = [];
}

/// <summary>An enrolment in a class, in the order enrolled.</summary>
public sealed record ClassEnrolment(
    Guid EnrolmentId,
    Guid CaregiverFamilyId,
    Guid MemberId,
    ProtectedValue MemberName,
    EnrolmentStatus Status,
    DateOnly EnrolledOn,
    DateOnly? CompletedOn,
    ProtectedValue? CertificateNo,
    DateOnly? WithdrewOn,
    EligibilityException? Exception = null);

public sealed partial class TrainingClassDetailsProjection : SingleStreamProjection<TrainingClassDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, TrainingClassDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static TrainingClassDetails? Create(EntryVoided e) => null;

    public static TrainingClassDetails Create(TrainingClassScheduled e) => new()
    {
        Id = e.ClassId, Trade = e.Trade, Title = e.Title, Provider = e.Provider, Township = e.Township,
        StartsOn = e.StartsOn, EndsOn = e.EndsOn, Capacity = e.Capacity, SeatsFree = e.Capacity,
    };

    public static void Apply(TraineeEnrolled e, TrainingClassDetails view)
    {
        view.Enrolments.Add(new ClassEnrolment(e.EnrolmentId, e.CaregiverFamilyId, e.MemberId, e.MemberName,
            EnrolmentStatus.Enrolled, e.EnrolledOn, null, null, null));
        Count(view);
    }

    /// <summary>An exception is recorded on the stream it covers; on a stream of another kind it makes no class.</summary>
    public static TrainingClassDetails? Create(EligibilityExceptionGranted e) => null;

    /// <summary>The enrolment was made by exception to the eligibility chain.</summary>
    public static void Apply(EligibilityExceptionGranted e, TrainingClassDetails view) =>
        Change(view, e.SubjectId, x => x with { Exception = EligibilityException.Of(e) });

    public static void Apply(TrainingCompleted e, TrainingClassDetails view)
    {
        Change(view, e.EnrolmentId, x => x with { Status = EnrolmentStatus.Completed, CompletedOn = e.CompletedOn, CertificateNo = e.CertificateNo });
        Count(view);
    }

    public static void Apply(TraineeWithdrew e, TrainingClassDetails view)
    {
        Change(view, e.EnrolmentId, x => x with { Status = EnrolmentStatus.Withdrawn, WithdrewOn = e.WithdrewOn });
        Count(view);
    }

    private static void Change(TrainingClassDetails view, Guid enrolmentId, Func<ClassEnrolment, ClassEnrolment> change)
    {
        var index = view.Enrolments.FindIndex(x => x.EnrolmentId == enrolmentId);
        if (index < 0) throw new InvalidOperationException($"Enrolment {enrolmentId} is not in class {view.Id}.");
        view.Enrolments[index] = change(view.Enrolments[index]);
    }

    private static void Count(TrainingClassDetails view)
    {
        view.Enrolled = view.Enrolments.Count(x => x.Status == EnrolmentStatus.Enrolled);
        view.Completed = view.Enrolments.Count(x => x.Status == EnrolmentStatus.Completed);
        view.Withdrawn = view.Enrolments.Count(x => x.Status == EnrolmentStatus.Withdrawn);
        view.SeatsFree = view.Capacity - view.Enrolled - view.Completed;
    }
}
