namespace Relief.Api.ExtendedPolicies;

/// <summary>The eight policies extended to caregiver families (八延伸).</summary>
public enum ExtendedPolicy
{
    /// <summary>公益岗位: a paid public-welfare job.</summary>
    PublicWelfarePost,
    /// <summary>培训就业: training classes, enrolment, completion and job placement.</summary>
    TrainingAndEmployment,
    /// <summary>创业发展: support to start a business.</summary>
    Entrepreneurship,
    /// <summary>金融贷款: a loan.</summary>
    FinancialLoan,
    /// <summary>家庭医生: a family-doctor service agreement.</summary>
    FamilyDoctor,
    /// <summary>医疗救助: medical aid.</summary>
    MedicalAssistance,
    /// <summary>社会救助: minimum living allowance, extreme-poverty support, temporary aid.</summary>
    SocialAssistance,
    /// <summary>慈善救助: charity aid.</summary>
    CharityAssistance,
}
