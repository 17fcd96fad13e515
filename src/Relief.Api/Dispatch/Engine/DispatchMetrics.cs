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

    /// <summary>The meeting's own words for each figure (the printable page and the spreadsheet).</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Households] = "兜底户 Safety-net households",
        [HouseholdsCovered] = "已签五养协议 Households with an active agreement",
        [CareCentres] = "医养中心 Care centres",
        [CentreResidents] = "集中医养入住 Centre residents",
        [TrialStays] = "试住 Trial stays",
        [CaregiverFamilies] = "托养人家庭 Caregiver families",
        [CaregiverFamilyPeople] = "托养人家庭人口 People in caregiver families",
        [FamilyDoctorFamilies] = "家庭医生签约家庭 Families with a family doctor",
        [FamilyDoctorPeople] = "家庭医生签约人数 People with a family doctor",
        [LoanIntents] = "贷款意向 Loan intents",
        [LoansIneligible] = "不符合条件 Loans ineligible",
        [LoansVerifying] = "核实中 Loans under verification",
        [LoansGranted] = "已放贷 Loans granted",
        [TrainingClasses] = "培训班 Training classes",
        [PeopleTrained] = "培训人数 People trained",
        [JobPlacements] = "安置就业 Placed in jobs",
        [JobPlacementsEnterpriseMatching] = "企业对接 …by enterprise matching",
        [JobPlacementsPublicWelfarePost] = "公益岗位 …on public-welfare posts",
        [JobPlacementsRecommendation] = "推荐安排 …by recommendation",
        [PublicWelfarePosts] = "公益岗位在岗 Public-welfare posts held",
        [EntrepreneurshipSupported] = "创业扶持 Entrepreneurship supported",
        [MedicalAssistanceGranted] = "医疗救助 Medical assistance granted",
        [SocialAssistanceGranted] = "社会救助 Social assistance granted",
        [CharityAssistanceGranted] = "慈善救助 Charity assistance granted",
        [PolicyCasesOpen] = "在办事项 Policy cases in progress",
        [PolicyCasesOverdue] = "逾期事项 Policy cases overdue",
        [EligibilityExceptions] = "破例办理 Cases, enrolments and placements by exception",
        [ExemplaryDeedMeetings] = "先进事迹报告会 Exemplary-deed meetings",
        [Inspections] = "监督检查 Inspections",
        [Evaluations] = "评比 Evaluations",
        [CaregiverWarnings] = "警示 Caregiver warnings",
        [Rewards] = "奖励 Rewards",
        [CarePlansActive] = "一户一策在实施 Care plans in force",
        [CarePlansDueForReview] = "…待复核 …due for review",
        [CarePlansOverdue] = "…逾期未复核 …review overdue",
        [HouseholdsWithoutCarePlan] = "未制定一户一策 Households without a plan in force",
        [OutreachVisits] = "逐户走访 Outreach visits made",
        [FollowUpVisits] = "随访 Follow-up visits made",
        [FollowUpVisitsDue] = "随访到期未访 Follow-up visits due, not yet made",
        [NeedsUnmet] = "需求未落实 Needs not yet met",
        [VerificationRoundsOpen] = "逐户核实进行中 Verification rounds open",
        [VerificationRoundsClosed] = "逐户核实已完成 Verification rounds closed",
        [EvaluationsDue] = "待评比 Evaluations due",
        [EvaluationsMissing] = "评比缺失 Evaluations missing",
        [HappinessIndex] = "幸福指数 Happiness index (0–100)",
        [HappinessHouseholds] = "幸福指数调查户 Households surveyed for happiness",
    };

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
