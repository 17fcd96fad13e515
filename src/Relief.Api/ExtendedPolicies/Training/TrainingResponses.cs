using Relief.Core.Protection;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.ExtendedPolicies.Training;

// The training views hold each trainee's name sealed under the person's own key; these are the
// same views as the API shows them, the name opened (or "[erased]").

/// <summary>A class with its seats and every enrolment.</summary>
public sealed record TrainingClassResponse(
    Guid Id, int Version, Trade Trade, string Title, string Provider, string? Township, DateOnly StartsOn, DateOnly EndsOn,
    int Capacity, int Enrolled, int Completed, int Withdrawn, int SeatsFree, IReadOnlyList<ClassEnrolmentResponse> Enrolments)
{
    public static TrainingClassResponse Of(TrainingClassDetails c, KeyChain keys, bool reveal) =>
        new(c.Id, c.Version, c.Trade, c.Title, c.Provider, c.Township, c.StartsOn, c.EndsOn, c.Capacity, c.Enrolled,
            c.Completed, c.Withdrawn, c.SeatsFree,
            c.Enrolments.Select(e => new ClassEnrolmentResponse(e.EnrolmentId, e.CaregiverFamilyId, e.MemberId,
                TraineeNames.Of(keys, e.MemberName), e.Status, e.EnrolledOn, e.CompletedOn, Certificates.Show(keys, e.CertificateNo, reveal), e.WithdrewOn, EligibilityExceptionResponse.Of(e.Exception, keys))).ToList());
}

/// <summary>An enrolment in a class, in the order enrolled.</summary>
public sealed record ClassEnrolmentResponse(
    Guid EnrolmentId, Guid CaregiverFamilyId, Guid MemberId, string MemberName, EnrolmentStatus Status, DateOnly EnrolledOn,
    DateOnly? CompletedOn, string? CertificateNo, DateOnly? WithdrewOn, EligibilityExceptionResponse? Exception);

/// <summary>One enrolment of one person.</summary>
public sealed record TraineeshipResponse(
    Guid Id, Guid ClassId, Guid CaregiverFamilyId, Guid MemberId, string MemberName, string Township, Trade Trade,
    EnrolmentStatus Status, DateOnly EnrolledOn, DateOnly? CompletedOn, string? CertificateNo, DateOnly? WithdrewOn)
{
    public static TraineeshipResponse Of(Traineeship t, KeyChain keys, bool reveal) =>
        new(t.Id, t.ClassId, t.CaregiverFamilyId, t.MemberId, TraineeNames.Of(keys, t.MemberName), t.Township, t.Trade,
            t.Status, t.EnrolledOn, t.CompletedOn, Certificates.Show(keys, t.CertificateNo, reveal), t.WithdrewOn);
}

/// <summary>
/// One job placement; <c>caseId</c> is the granted public-welfare post case it is the job of, and
/// <c>exception</c> is set when it was recorded by exception to the eligibility chain.
/// </summary>
public sealed record JobPlacementResponse(
    Guid Id, int Version, Guid CaregiverFamilyId, Guid MemberId, string MemberName, string Township, PlacementChannel Channel,
    string Employer, DateOnly PlacedOn, Guid? CaseId, EligibilityExceptionResponse? Exception)
{
    public static JobPlacementResponse Of(JobPlacementDetails p, KeyChain keys) =>
        new(p.Id, p.Version, p.CaregiverFamilyId, p.MemberId, TraineeNames.Of(keys, p.MemberName), p.Township, p.Channel,
            p.Employer, p.PlacedOn, p.CaseId, EligibilityExceptionResponse.Of(p.Exception, keys));
}

/// <summary>The families whose keys open the reasons of exceptions to the eligibility chain.</summary>
public static class ExceptionKeys
{
    /// <summary>The families, among those given, that were granted an exception.</summary>
    public static IReadOnlyList<Guid> FamiliesOf(IEnumerable<(Guid FamilyId, EligibilityException? Exception)> exceptions) =>
        exceptions.Where(e => e.Exception is not null).Select(e => e.FamilyId).Distinct().ToList();
}

/// <summary>
/// A training certificate's number: sealed under the trainee's key, opened with the keys a read
/// loaded, shown in full to a caller with <c>pii:read</c> and masked by the one rule
/// (<see cref="PersonalDataMask.Certificate"/>) for any other; <c>[erased]</c> once the trainee was erased.
/// </summary>
public static class Certificates
{
    public static string? Show(KeyChain keys, Core.Protection.ProtectedValue? number, bool reveal) =>
        number is null ? null
        : keys.Reveal(PersonalDataMask.Fields.CertificateNo, number) is not { } plain ? PersonalDataMask.Erased
        : reveal ? plain
        : PersonalDataMask.Value(PersonalDataMask.Fields.CertificateNo, plain);
}

/// <summary>Trainees' names: sealed under each person's key, opened with the keys a read loaded.</summary>
public static class TraineeNames
{
    public static string Of(KeyChain keys, Core.Protection.ProtectedValue name) =>
        keys.Reveal(MemberFields.Name, name) ?? PersonalDataMask.Erased;
}
