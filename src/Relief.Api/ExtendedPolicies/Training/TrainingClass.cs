using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Events;
using Relief.Core.Protection;
namespace Relief.Api.ExtendedPolicies.Training;

// The training class stream (培训班): its events and its write model. Every enrolment, completion
// and withdrawal is recorded on the class's own stream, so that the class's stream version
// serialises every decision about its seats (as a care centre's does about its beds).

/// <summary>The trade a class teaches.</summary>
public enum Trade
{
    /// <summary>电工</summary>
    Electrician,
    /// <summary>电焊工</summary>
    Welder,
    /// <summary>美容美发</summary>
    BeautyAndHairdressing,
    /// <summary>烹饪 / 厨师</summary>
    Cooking,
    /// <summary>家政服务 / 护理</summary>
    Housekeeping,
    /// <summary>种植养殖</summary>
    Farming,
    /// <summary>其它</summary>
    Other,
}

/// <summary>Where an enrolment stands. <c>Enrolled</c> and <c>Completed</c> hold a seat; a withdrawal frees it.</summary>
public enum EnrolmentStatus { Enrolled, Completed, Withdrawn }

/// <summary>A training class was scheduled by a provider, for <c>Capacity</c> trainees.</summary>
public sealed record TrainingClassScheduled(
    Guid ClassId,
    Trade Trade,
    string Title,
    string Provider,
    string? Township,
    DateOnly StartsOn,
    DateOnly EndsOn,
    int Capacity) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => StartsOn;
}

/// <summary>
/// A member of a caregiver family took a seat in the class on <c>EnrolledOn</c>. <c>Township</c> is the
/// family's, for the reports by township. <c>MemberName</c> is sealed under the member's own key, so
/// that erasing the person erases it here too.
/// </summary>
public sealed record TraineeEnrolled(
    Guid ClassId,
    Guid EnrolmentId,
    Guid CaregiverFamilyId,
    Guid MemberId,
    [property: SealedAs(MemberFields.Name)] ProtectedValue MemberName,
    string Township,
    Trade Trade,
    DateOnly EnrolledOn) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => EnrolledOn;
}

/// <summary>
/// The trainee completed the class (结业) on <c>CompletedOn</c>, with a certificate if one was issued.
/// <c>CertificateNo</c> identifies the person: it is sealed under the trainee's own key (events
/// written before hold it as a plain string), masked by the one rule for a caller without <c>pii:read</c>.
/// </summary>
public sealed record TrainingCompleted(
    Guid ClassId,
    Guid EnrolmentId,
    Guid CaregiverFamilyId,
    Guid MemberId,
    DateOnly CompletedOn,
    ProtectedValue? CertificateNo) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => CompletedOn;
}

/// <summary>The trainee left the class on <c>WithdrewOn</c>; the seat is free again. The reason is sealed under the family's key.</summary>
public sealed record TraineeWithdrew(
    Guid ClassId,
    Guid EnrolmentId,
    Guid CaregiverFamilyId,
    Guid MemberId,
    DateOnly WithdrewOn,
    ProtectedValue Reason) : IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => WithdrewOn;
}

/// <summary>An enrolment as the write model knows it.</summary>
public sealed record Seat(Guid EnrolmentId, Guid CaregiverFamilyId, Guid MemberId, EnrolmentStatus Status, DateOnly EnrolledOn);

/// <summary>The write model of a training class: its dates, its capacity and its enrolments.</summary>
public sealed class TrainingClass
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Title { get; set; } = "";
    public Trade Trade { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public int Capacity { get; set; }
    public Dictionary<Guid, Seat> Enrolments { get; set; } = [];

    /// <summary>Seats held by enrolled and completed trainees.</summary>
    public int Taken => Enrolments.Values.Count(e => e.Status != EnrolmentStatus.Withdrawn);

    public int Free => Capacity - Taken;

    public static TrainingClass Create(TrainingClassScheduled e) => new()
    {
        Id = e.ClassId, Title = e.Title, Trade = e.Trade, StartsOn = e.StartsOn, EndsOn = e.EndsOn, Capacity = e.Capacity,
    };

    public void Apply(TraineeEnrolled e) =>
        Enrolments[e.EnrolmentId] = new Seat(e.EnrolmentId, e.CaregiverFamilyId, e.MemberId, EnrolmentStatus.Enrolled, e.EnrolledOn);

    public void Apply(TrainingCompleted e) =>
        Enrolments[e.EnrolmentId] = Enrolments[e.EnrolmentId] with { Status = EnrolmentStatus.Completed };

    public void Apply(TraineeWithdrew e) =>
        Enrolments[e.EnrolmentId] = Enrolments[e.EnrolmentId] with { Status = EnrolmentStatus.Withdrawn };
}
