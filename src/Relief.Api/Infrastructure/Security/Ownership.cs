using Microsoft.AspNetCore.Authorization;

namespace Relief.Api.Infrastructure.Security;

/// <summary>
/// The facts Relief records, each owned by one or more departments. Which department owns which
/// fact is configuration (<c>Relief:Ownership</c>), not code: the county decides, and may change it.
/// A route that records a fact requires its policy: <c>[Authorize(Owns.HouseholdRegistry)]</c>.
/// </summary>
public static class Owns
{
    private const string Prefix = "owns:";

    /// <summary>Registering households and their members (扶贫办 and the townships).</summary>
    public const string HouseholdRegistry = Prefix + "household-registry";

    /// <summary>Erasing a household's personal data (crypto-shredding).</summary>
    public const string PersonalDataErasure = Prefix + "personal-data-erasure";

    /// <summary>Signing, renewing, amending and ending care agreements (五养协议).</summary>
    public const string CareAgreements = Prefix + "care-agreements";

    /// <summary>Care plans (一户一策): drafting, assessment, chosen care, measures, responsible cadre, activation and review.</summary>
    public const string CarePlans = Prefix + "care-plans";

    /// <summary>Outreach visits (逐户走访) and follow-up visits (随访).</summary>
    public const string CareVisits = Prefix + "care-visits";

    /// <summary>Centres, admissions, trial stays, discharges, transfers and services (医养中心).</summary>
    public const string CareCentres = Prefix + "care-centres";

    /// <summary>The dated funding rules of centralised care.</summary>
    public const string FundingRules = Prefix + "funding-rules";

    /// <summary>The dated rules of who may be admitted to a centre and who may try a stay.</summary>
    public const string AdmissionRules = Prefix + "admission-rules";

    /// <summary>Admitting (or starting a trial stay for) a person the admission rule refuses, with a reason.</summary>
    public const string AdmissionExceptions = Prefix + "admission-exceptions";

    /// <summary>Caregiver families (托养人家庭) and their members.</summary>
    public const string CaregiverFamilies = Prefix + "caregiver-families";

    /// <summary>Family-doctor agreements (家庭医生签约).</summary>
    public const string FamilyDoctor = Prefix + "family-doctor";

    /// <summary>The needs survey of the eight extended policies (需求排查).</summary>
    public const string NeedsSurvey = Prefix + "needs-survey";

    /// <summary>
    /// Opening a policy case, enrolling or placing a member of a family outside the eligibility chain
    /// (no kinship, neighbour or assigned-helper agreement in force), with a reason.
    /// </summary>
    public const string EligibilityExceptions = Prefix + "eligibility-exceptions";

    /// <summary>Public-welfare posts (公益岗位).</summary>
    public const string PublicWelfarePost = Prefix + "public-welfare-post";

    /// <summary>Training classes, enrolment, completion and job placement (培训就业).</summary>
    public const string TrainingAndEmployment = Prefix + "training-and-employment";

    /// <summary>Support to start a business (创业发展).</summary>
    public const string Entrepreneurship = Prefix + "entrepreneurship";

    /// <summary>Loan intents, eligibility, verification and grants (金融贷款).</summary>
    public const string FinancialLoan = Prefix + "financial-loan";

    /// <summary>Medical assistance (医疗救助).</summary>
    public const string MedicalAssistance = Prefix + "medical-assistance";

    /// <summary>Social assistance: 低保, 特困, temporary aid (社会救助).</summary>
    public const string SocialAssistance = Prefix + "social-assistance";

    /// <summary>Charity assistance (慈善救助).</summary>
    public const string CharityAssistance = Prefix + "charity-assistance";

    /// <summary>Exemplary-deed meetings, honours and material rewards (先进事迹报告会, 奖励).</summary>
    public const string Recognition = Prefix + "recognition";

    /// <summary>Supervision visits and their follow-ups (监督检查).</summary>
    public const string Inspections = Prefix + "inspections";

    /// <summary>Periodic evaluations of households (评比).</summary>
    public const string Evaluations = Prefix + "evaluations";

    /// <summary>Happiness surveys of households (幸福指数).</summary>
    public const string HappinessSurveys = Prefix + "happiness-surveys";

    /// <summary>Verification rounds (逐户核实): opening, checking and closing them, for a policy the department owns.</summary>
    public const string VerificationRounds = Prefix + "verification-rounds";

    public static IReadOnlyList<string> All { get; } =
    [
        HouseholdRegistry, PersonalDataErasure, CareAgreements, CarePlans, CareVisits, CareCentres, FundingRules, AdmissionRules,
        AdmissionExceptions, CaregiverFamilies, FamilyDoctor, NeedsSurvey, EligibilityExceptions, PublicWelfarePost, TrainingAndEmployment, Entrepreneurship, FinancialLoan,
        MedicalAssistance, SocialAssistance, CharityAssistance, Recognition, Inspections, Evaluations, HappinessSurveys, VerificationRounds,
    ];

    /// <summary>The fact a policy name stands for: <c>owns:household-registry</c> → <c>household-registry</c>.</summary>
    public static string FactOf(string policy) => policy[Prefix.Length..];
}

/// <summary>The configured table: fact → the departments that may record it.</summary>
public sealed class OwnershipTable(IReadOnlyDictionary<string, Department[]> owners)
{
    public IReadOnlyList<Department> OwnersOf(string fact) => owners.TryGetValue(fact, out var d) ? d : [];

    public bool MayRecord(Department department, string fact) => OwnersOf(fact).Contains(department);
}

/// <summary>The caller's department owns the fact.</summary>
public sealed record OwnershipRequirement(string Fact) : IAuthorizationRequirement;

public sealed class OwnershipHandler(OwnershipTable table) : AuthorizationHandler<OwnershipRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OwnershipRequirement requirement)
    {
        if (Enum.TryParse<Department>(context.User.FindFirst(ReliefClaims.Department)?.Value, out var department)
            && table.MayRecord(department, requirement.Fact))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
