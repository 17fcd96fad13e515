using Relief.Api.Dispatch.Engine;

namespace Relief.Api.Dispatch.Report;

/// <summary>A figure's name in the meeting's words: Chinese first, and English.</summary>
public sealed record FigureLabel(string Chinese, string English)
{
    /// <summary>Both, as the printable page and older exports showed them: <c>兜底户 Safety-net households</c>.</summary>
    public string Both => $"{Chinese} {English}";
}

/// <summary>
/// The one dictionary of the weekly report's figure names: figure code → Chinese label and English
/// label. The CSV and XLSX exports, the printable page (through <see cref="Engine.DispatchMetrics.Labels"/>)
/// and any later page read their names here, so a figure is named once. A test holds every figure
/// of <see cref="Engine.DispatchMetrics.All"/> to having one.
/// </summary>
public static class FigureLabels
{
    public static readonly IReadOnlyDictionary<string, FigureLabel> All = new Dictionary<string, FigureLabel>
    {
        [DispatchMetrics.Households] = new("兜底户", "Safety-net households"),
        [DispatchMetrics.HouseholdsCovered] = new("已签五养协议", "Households with an active agreement"),
        [DispatchMetrics.CareCentres] = new("医养中心", "Care centres"),
        [DispatchMetrics.CentreResidents] = new("集中医养入住", "Centre residents"),
        [DispatchMetrics.TrialStays] = new("试住", "Trial stays"),
        [DispatchMetrics.CaregiverFamilies] = new("托养人家庭", "Caregiver families"),
        [DispatchMetrics.CaregiverFamilyPeople] = new("托养人家庭人口", "People in caregiver families"),
        [DispatchMetrics.FamilyDoctorFamilies] = new("家庭医生签约家庭", "Families with a family doctor"),
        [DispatchMetrics.FamilyDoctorPeople] = new("家庭医生签约人数", "People with a family doctor"),
        [DispatchMetrics.LoanIntents] = new("贷款意向", "Loan intents"),
        [DispatchMetrics.LoansIneligible] = new("不符合条件", "Loans ineligible"),
        [DispatchMetrics.LoansVerifying] = new("核实中", "Loans under verification"),
        [DispatchMetrics.LoansGranted] = new("已放贷", "Loans granted"),
        [DispatchMetrics.TrainingClasses] = new("培训班", "Training classes"),
        [DispatchMetrics.PeopleTrained] = new("培训人数", "People trained"),
        [DispatchMetrics.JobPlacements] = new("安置就业", "Placed in jobs"),
        [DispatchMetrics.JobPlacementsEnterpriseMatching] = new("企业对接", "…by enterprise matching"),
        [DispatchMetrics.JobPlacementsPublicWelfarePost] = new("公益岗位", "…on public-welfare posts"),
        [DispatchMetrics.JobPlacementsRecommendation] = new("推荐安排", "…by recommendation"),
        [DispatchMetrics.PublicWelfarePosts] = new("公益岗位在岗", "Public-welfare posts held"),
        [DispatchMetrics.EntrepreneurshipSupported] = new("创业扶持", "Entrepreneurship supported"),
        [DispatchMetrics.MedicalAssistanceGranted] = new("医疗救助", "Medical assistance granted"),
        [DispatchMetrics.SocialAssistanceGranted] = new("社会救助", "Social assistance granted"),
        [DispatchMetrics.CharityAssistanceGranted] = new("慈善救助", "Charity assistance granted"),
        [DispatchMetrics.PolicyCasesOpen] = new("在办事项", "Policy cases in progress"),
        [DispatchMetrics.PolicyCasesOverdue] = new("逾期事项", "Policy cases overdue"),
        [DispatchMetrics.EligibilityExceptions] = new("破例办理", "Cases, enrolments and placements by exception"),
        [DispatchMetrics.ExemplaryDeedMeetings] = new("先进事迹报告会", "Exemplary-deed meetings"),
        [DispatchMetrics.Inspections] = new("监督检查", "Inspections"),
        [DispatchMetrics.Evaluations] = new("评比", "Evaluations"),
        [DispatchMetrics.CaregiverWarnings] = new("警示", "Caregiver warnings"),
        [DispatchMetrics.Rewards] = new("奖励", "Rewards"),
        [DispatchMetrics.CarePlansActive] = new("一户一策在实施", "Care plans in force"),
        [DispatchMetrics.CarePlansDueForReview] = new("…待复核", "…due for review"),
        [DispatchMetrics.CarePlansOverdue] = new("…逾期未复核", "…review overdue"),
        [DispatchMetrics.HouseholdsWithoutCarePlan] = new("未制定一户一策", "Households without a plan in force"),
        [DispatchMetrics.OutreachVisits] = new("逐户走访", "Outreach visits made"),
        [DispatchMetrics.FollowUpVisits] = new("随访", "Follow-up visits made"),
        [DispatchMetrics.FollowUpVisitsDue] = new("随访到期未访", "Follow-up visits due, not yet made"),
        [DispatchMetrics.NeedsUnmet] = new("需求未落实", "Needs not yet met"),
        [DispatchMetrics.VerificationRoundsOpen] = new("逐户核实进行中", "Verification rounds open"),
        [DispatchMetrics.VerificationRoundsClosed] = new("逐户核实已完成", "Verification rounds closed"),
        [DispatchMetrics.EvaluationsDue] = new("待评比", "Evaluations due"),
        [DispatchMetrics.EvaluationsMissing] = new("评比缺失", "Evaluations missing"),
        [DispatchMetrics.HappinessIndex] = new("幸福指数", "Happiness index (0–100)"),
        [DispatchMetrics.HappinessHouseholds] = new("幸福指数调查户", "Households surveyed for happiness"),
    };

    /// <summary>The label of a figure code.</summary>
    public static FigureLabel Of(string figure) => All[figure];
}
