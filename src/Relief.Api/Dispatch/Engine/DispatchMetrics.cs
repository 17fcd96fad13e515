using Relief.Api.Dispatch.Report;

namespace Relief.Api.Dispatch.Engine;

/// <summary>
/// The figures of the weekly dispatch report, by name, in the order the meeting reads them. Every
/// figure is a count at the end of the week (<c>value</c>) with its net change during the week
/// (<c>change</c>), for the county and for each township.
/// </summary>
public static class DispatchMetrics
{
    public const string Households = "households";
    public const string HouseholdsCovered = "householdsCovered";
    public const string CareCentres = "careCentres";
    public const string CentreResidents = "centreResidents";
    public const string TrialStays = "trialStays";
    public const string CaregiverFamilies = "caregiverFamilies";
    public const string CaregiverFamilyPeople = "caregiverFamilyPeople";
    public const string FamilyDoctorFamilies = "familyDoctorFamilies";
    public const string FamilyDoctorPeople = "familyDoctorPeople";
    public const string LoanIntents = "loanIntents";
    public const string LoansIneligible = "loansIneligible";
    public const string LoansVerifying = "loansVerifying";
    public const string LoansGranted = "loansGranted";
    public const string TrainingClasses = "trainingClasses";
    public const string PeopleTrained = "peopleTrained";
    public const string JobPlacements = "jobPlacements";
    public const string JobPlacementsEnterpriseMatching = "jobPlacementsEnterpriseMatching";
    public const string JobPlacementsPublicWelfarePost = "jobPlacementsPublicWelfarePost";
    public const string JobPlacementsRecommendation = "jobPlacementsRecommendation";
    public const string PublicWelfarePosts = "publicWelfarePosts";
    public const string EntrepreneurshipSupported = "entrepreneurshipSupported";
    public const string MedicalAssistanceGranted = "medicalAssistanceGranted";
    public const string SocialAssistanceGranted = "socialAssistanceGranted";
    public const string CharityAssistanceGranted = "charityAssistanceGranted";
    public const string PolicyCasesOpen = "policyCasesOpen";
    public const string PolicyCasesOverdue = "policyCasesOverdue";
    public const string EligibilityExceptions = "eligibilityExceptions";
    public const string ExemplaryDeedMeetings = "exemplaryDeedMeetings";
    public const string Inspections = "inspections";
    public const string Evaluations = "evaluations";
    public const string CaregiverWarnings = "caregiverWarnings";
    public const string Rewards = "rewards";
    public const string CarePlansActive = "carePlansActive";
    public const string CarePlansDueForReview = "carePlansDueForReview";
    public const string CarePlansOverdue = "carePlansOverdue";
    public const string HouseholdsWithoutCarePlan = "householdsWithoutCarePlan";
    public const string OutreachVisits = "outreachVisits";
    public const string FollowUpVisits = "followUpVisits";
    public const string FollowUpVisitsDue = "followUpVisitsDue";
    public const string NeedsUnmet = "needsUnmet";
    public const string EvaluationsDue = "evaluationsDue";
    public const string EvaluationsMissing = "evaluationsMissing";
    public const string VerificationRoundsOpen = "verificationRoundsOpen";
    public const string VerificationRoundsClosed = "verificationRoundsClosed";
    public const string HappinessIndex = "happinessIndex";
    public const string HappinessHouseholds = "happinessHouseholds";

    /// <summary>
    /// The sum of the surveyed households' latest indexes: never printed; <see cref="HappinessIndex"/> is it divided
    /// by <see cref="HappinessHouseholds"/> (<see cref="IndexOf"/>), a mean kept as two counts so weeks add up.
    /// </summary>
    public const string HappinessPoints = "sum:happinessPoints";

    /// <summary>Every figure, in report order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Households, HouseholdsCovered, CareCentres, CentreResidents, TrialStays,
        CaregiverFamilies, CaregiverFamilyPeople, FamilyDoctorFamilies, FamilyDoctorPeople,
        LoanIntents, LoansIneligible, LoansVerifying, LoansGranted,
        TrainingClasses, PeopleTrained, JobPlacements,
        JobPlacementsEnterpriseMatching, JobPlacementsPublicWelfarePost, JobPlacementsRecommendation,
        PublicWelfarePosts, EntrepreneurshipSupported, MedicalAssistanceGranted, SocialAssistanceGranted,
        CharityAssistanceGranted, PolicyCasesOpen, PolicyCasesOverdue, EligibilityExceptions,
        ExemplaryDeedMeetings, Inspections, Evaluations, CaregiverWarnings, Rewards,
        CarePlansActive, CarePlansDueForReview, CarePlansOverdue, HouseholdsWithoutCarePlan,
        OutreachVisits, FollowUpVisits, FollowUpVisitsDue,
        NeedsUnmet, VerificationRoundsOpen, VerificationRoundsClosed, EvaluationsDue, EvaluationsMissing, HappinessIndex, HappinessHouseholds,
    ];

    /// <summary>The meeting's own words for each figure, Chinese then English (the printable page); named once, in <see cref="FigureLabels"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = FigureLabels.All.ToDictionary(l => l.Key, l => l.Value.Both);

    /// <summary>
    /// The happiness index of a scope at the week's end and its change during the week, from the two counts it
    /// is kept as: the mean of the households' latest indexes, rounded half away from zero (0 when none).
    /// </summary>
    public static (int Value, int Change) IndexOf(int points, int pointsChange, int households, int householdsChange)
    {
        static int Mean(int sum, int count) => count == 0 ? 0 : (int)decimal.Round(sum / (decimal)count, 0, MidpointRounding.AwayFromZero);
        var value = Mean(points, households);
        return (value, value - Mean(points - pointsChange, households - householdsChange));
    }
}
