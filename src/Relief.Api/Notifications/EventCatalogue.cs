using Relief.Api.Audit.Corrections;
using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.CarePlans;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Api.Supervision;
using Relief.Api.Households;

using Relief.Api.Audit.Disclosures;

namespace Relief.Api.Notifications;

/// <summary>
/// The event kinds Relief publishes to webhooks, by name. Publishing an event is a promise to the
/// departments, so the list is explicit; a test fails when an event of a write model is neither
/// here nor in <see cref="Unpublished"/>, so no new event is forgotten.
/// </summary>
public static class EventCatalogue
{
    /// <summary>Subscribing to this kind (or to none) means every kind.</summary>
    public const string All = "*";

    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(HouseholdRegistered), typeof(HouseholdDetailsChanged), typeof(HouseholdMemberAdded),
        typeof(HouseholdMemberChanged), typeof(HouseholdMemberRemoved), typeof(HouseholdMemberMovedOut),
        typeof(HouseholdMemberMovedIn), typeof(HouseholdClosed), typeof(HouseholdMonitoringChanged),
        typeof(HouseholdPersonalDataErased), typeof(HouseholdMemberPersonalDataErased),
        typeof(CareAgreementSigned), typeof(CareAgreementRenewed), typeof(CareAgreementAmended), typeof(CareAgreementEnded),
        typeof(CareAgreementCaregiverPersonalDataErased),
        typeof(CarePlanDrafted), typeof(OutreachVisitRecorded), typeof(CarePlanAssessed), typeof(CareChosen), typeof(CarePlanMeasuresSet),
        typeof(ResponsibleCadreAssigned), typeof(ResponsibleCadrePersonalDataErased), typeof(CarePlanActivated), typeof(CarePlanReviewed),
        typeof(CarePlanReviewFellDue), typeof(CarePlanReviewOverdue), typeof(FollowUpVisitRecorded),
        typeof(CareCentreRegistered), typeof(CentreBedsChanged), typeof(ResidentAdmitted), typeof(TrialStayStarted),
        typeof(TrialStayConverted), typeof(TrialStayEnded), typeof(ResidentDischarged), typeof(ResidentTransferredOut),
        typeof(ResidentTransferredIn), typeof(CentreServiceDelivered), typeof(FundingRuleAdopted),
        typeof(AdmissionRuleAdopted), typeof(AdmissionExceptionGranted),
        typeof(CaregiverFamilyRegistered), typeof(CaregiverFamilyMemberAdded), typeof(CaregiverFamilyMemberChanged),
        typeof(CaregiverFamilyMemberRemoved), typeof(FamilyDoctorAgreementSigned), typeof(FamilyDoctorAgreementEnded),
        typeof(NeedsSurveyed), typeof(CaregiverFamilyMemberPersonalDataErased), typeof(CaregiverFamilyPersonalDataErased),
        typeof(PolicyCaseOpened), typeof(PolicyApplied), typeof(LoanFoundEligible), typeof(LoanFoundIneligible),
        typeof(VerificationStarted), typeof(PolicyGranted), typeof(PolicyCaseRejected), typeof(PolicyCaseClosed),
        typeof(CaseBecameOverdue), typeof(EligibilityExceptionGranted),
        typeof(TrainingClassScheduled), typeof(TraineeEnrolled), typeof(TrainingCompleted), typeof(TraineeWithdrew),
        typeof(JobPlaced),
        typeof(ExemplaryDeedMeetingHeld), typeof(HonourAwarded), typeof(MaterialRewardGranted),
        typeof(InspectionRecorded), typeof(FollowUpCompleted), typeof(HouseholdEvaluated), typeof(CaregiverWarned),
        typeof(HappinessSurveyed), typeof(VerificationRoundOpened), typeof(VerificationChecked), typeof(VerificationRoundClosed),
        typeof(EntryVoided),
    ];

    /// <summary>
    /// Events deliberately not published: the notification module's own bookkeeping, and the
    /// disclosure records (who was shown whose personal data is for auditors only).
    /// </summary>
    public static IReadOnlyList<Type> Unpublished { get; } = UnpublishedTypes();

    private static Type[] UnpublishedTypes() =>
        typeof(EventCatalogue).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Relief.Api.Notifications", StringComparison.Ordinal) == true
                        && t.Name.StartsWith("Webhook", StringComparison.Ordinal) && t.IsSealed && !t.IsAbstract)
            .Append(typeof(PersonalDataDisclosed))
            .ToArray();

    private static readonly Dictionary<string, Type> ByName = Types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool Knows(string kind) => ByName.ContainsKey(kind);

    /// <summary>The catalogue's name of an event type, or null when Relief does not publish it.</summary>
    public static string? NameOf(Type eventType) =>
        ByName.TryGetValue(eventType.Name, out var known) && known == eventType ? eventType.Name : null;

    /// <summary>Does a subscription to these kinds want this kind? Empty or "*" means all.</summary>
    public static bool Wants(IReadOnlyList<string> kinds, string kind) =>
        kinds.Count == 0 || kinds.Contains(All) || kinds.Contains(kind);
}
