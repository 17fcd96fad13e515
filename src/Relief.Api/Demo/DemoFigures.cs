using Relief.Core.Calendar;

namespace Relief.Api.Demo;

/// <summary>
/// The demo county's figures: those of the seed article (../shared/domain.md), which the latest
/// weekly dispatch report of a demo run reproduces exactly, and the few the article does not give.
/// </summary>
public static class DemoFigures
{
    public const int Households = 465;
    public const int CareCentres = 8;
    public const int CentreBeds = 908;
    public const int CentreResidents = 62;
    public const int CaregiverFamilies = 418;
    public const int CaregiverFamilyPeople = 1652;
    public const int LoanIntents = 61;
    public const int LoansIneligible = 11;
    public const int LoansUnderVerification = 48;
    public const int LoansGranted = 2;
    public const int TrainingClasses = 52;
    public const int PeopleTrained = 35;
    public const int JobPlacements = 58;
    public const int ExemplaryDeedMeetings = 15;

    // Not in the article: plausible numbers of the demo's own.
    public const int TrialStaysConverted = 10;
    public const int CentreHouseholdsWithFamilyToo = 15;
    public const int Inspections = 36;
    public const int Evaluations = 120;
    public const int MaterialRewards = 20;
    public const int HonoursPerMeeting = 3;

    /// <summary>Every household has a plan in force (一户一策): reviewed every half year.</summary>
    public const int CarePlans = Households;
    public const int CarePlanReviewDays = 182;

    /// <summary>Every this-th caregiver family needs medical assistance that no case follows: an unmet need.</summary>
    public const int FamiliesNeedingMedicalAidInVain = 7;

    /// <summary>Households surveyed for happiness in July and again in October.</summary>
    public const int HappinessSurveyedHouseholds = 150;

    /// <summary>Verification rounds: one closed (the bank's, of loans), one still open (civil affairs', of social assistance).</summary>
    public const int VerificationRoundsClosed = 1;
    public const int VerificationRoundsOpen = 1;

    /// <summary>The first and the last day of the demo (April 2020, when the mechanism began, to the end of October).</summary>
    public static readonly DateOnly FirstDay = new(2020, 4, 6);
    public static readonly DateOnly LastDay = new(2020, 10, 30);

    /// <summary>The ISO week of the demo's last report.</summary>
    public static IsoWeek LastWeek => IsoWeek.Of(LastDay);
}
