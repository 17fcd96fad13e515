using Relief.Core.Protection;
using Marten.Events.Projections;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>
/// One enrolment of one person, as its own document (id = enrolment id), updated inline from the class
/// streams. What the family's training list and the weekly report read: people trained in a week =
/// traineeships with <c>Status == Completed</c> and <c>CompletedOn</c> in the week.
/// </summary>
public sealed class Traineeship
{
    public Guid Id { get; set; }
    public Guid ClassId { get; set; }
    public Guid CaregiverFamilyId { get; set; }
    public Guid MemberId { get; set; }
    public ProtectedValue MemberName { get; set; } = new("", "");

    /// <summary>The family's township.</summary>
    public string Township { get; set; } = "";

    public Trade Trade { get; set; }
    public EnrolmentStatus Status { get; set; }
    public DateOnly EnrolledOn { get; set; }
    public DateOnly? CompletedOn { get; set; }
    /// <summary>The certificate's number, sealed under the trainee's key (as in the event).</summary>
    public ProtectedValue? CertificateNo { get; set; }
    public DateOnly? WithdrewOn { get; set; }
}

public sealed partial class TraineeshipProjection : MultiStreamProjection<Traineeship, Guid>
{
    public TraineeshipProjection()
    {
        Identity<TraineeEnrolled>(e => e.EnrolmentId);
        Identity<TrainingCompleted>(e => e.EnrolmentId);
        Identity<TraineeWithdrew>(e => e.EnrolmentId);
    }

    public static Traineeship Create(TraineeEnrolled e) => new()
    {
        Id = e.EnrolmentId, ClassId = e.ClassId, CaregiverFamilyId = e.CaregiverFamilyId, MemberId = e.MemberId,
        MemberName = e.MemberName, Township = e.Township, Trade = e.Trade, Status = EnrolmentStatus.Enrolled, EnrolledOn = e.EnrolledOn,
    };

    public static void Apply(TrainingCompleted e, Traineeship view)
    {
        view.Status = EnrolmentStatus.Completed;
        view.CompletedOn = e.CompletedOn;
        view.CertificateNo = e.CertificateNo;
    }

    public static void Apply(TraineeWithdrew e, Traineeship view)
    {
        view.Status = EnrolmentStatus.Withdrawn;
        view.WithdrewOn = e.WithdrewOn;
    }
}
