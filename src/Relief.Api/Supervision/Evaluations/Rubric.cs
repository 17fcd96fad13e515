namespace Relief.Api.Supervision;

/// <summary>
/// The rubric of a household evaluation (评比). Each item is scored 1 to 5:
/// <list type="table">
/// <item><term>Housing (住房)</term><description>1 unsafe or leaking; 2 safe but in poor repair; 3 safe, dry and
/// basically furnished; 4 clean, tidy and well furnished; 5 renovated, comfortable, barrier-free where needed.</description></item>
/// <item><term>Food (饮食)</term><description>1 meals missed or unsafe; 2 irregular meals; 3 three regular meals;
/// 4 regular, varied meals suited to the person's health; 5 as 4, with special diets met.</description></item>
/// <item><term>Hygiene (卫生)</term><description>1 person or home dirty, clothes unwashed; 2 often neglected; 3 basically
/// clean; 4 clean person, home and bedding; 5 exemplary, with a clean yard and toilet.</description></item>
/// <item><term>Health (健康)</term><description>1 illness untreated; 2 treated late or irregularly; 3 treated, medicine
/// taken; 4 regular checks by the family doctor; 5 as 4, with rehabilitation where it helps.</description></item>
/// <item><term>Companionship (陪伴)</term><description>1 left alone for days; 2 visited rarely; 3 visited daily;
/// 4 daily visits and conversation; 5 cared for with warmth, taken out, included in family life.</description></item>
/// <item><term>Mental state (精神状态)</term><description>1 distressed, withdrawn or complaining of neglect; 2 often low;
/// 3 calm; 4 content; 5 cheerful and satisfied with the care.</description></item>
/// </list>
/// The evaluation's <see cref="Score"/> is the arithmetic mean of all six items (the five quality-of-life
/// items and the mental state, each counted once), rounded half away from zero to two decimals. A
/// score below the configured threshold (<c>Relief:Evaluations:WarningThreshold</c>, default 3.0)
/// warns every caregiver holding an agreement of the household active on the evaluation date.
/// </summary>
public static class Rubric
{
    public const int Lowest = 1;
    public const int Highest = 5;

    /// <summary>The threshold unless <c>Relief:Evaluations:WarningThreshold</c> says otherwise.</summary>
    public const decimal DefaultWarningThreshold = 3.0m;

    /// <summary>What each level means, item by item (the same text as above, for the API's readers).</summary>
    public static IReadOnlyDictionary<string, string[]> Levels { get; } = new Dictionary<string, string[]>
    {
        ["housing"] = ["unsafe or leaking", "safe but in poor repair", "safe, dry and basically furnished", "clean, tidy and well furnished", "renovated, comfortable, barrier-free where needed"],
        ["food"] = ["meals missed or unsafe", "irregular meals", "three regular meals", "regular, varied meals suited to the person's health", "as 4, with special diets met"],
        ["hygiene"] = ["person or home dirty, clothes unwashed", "often neglected", "basically clean", "clean person, home and bedding", "exemplary, with a clean yard and toilet"],
        ["health"] = ["illness untreated", "treated late or irregularly", "treated, medicine taken", "regular checks by the family doctor", "as 4, with rehabilitation where it helps"],
        ["companionship"] = ["left alone for days", "visited rarely", "visited daily", "daily visits and conversation", "cared for with warmth, taken out, included in family life"],
        ["mentalState"] = ["distressed, withdrawn or complaining of neglect", "often low", "calm", "content", "cheerful and satisfied with the care"],
    };

    public static decimal WarningThreshold(IConfiguration configuration) =>
        configuration.GetValue<decimal?>("Relief:Evaluations:WarningThreshold") ?? DefaultWarningThreshold;

    /// <summary>The mean of the five quality-of-life items and the mental state, to two decimals.</summary>
    public static decimal Score(QualityOfLife quality, int mentalState) =>
        decimal.Round((quality.Housing + quality.Food + quality.Hygiene + quality.Health + quality.Companionship + mentalState) / 6m,
            2, MidpointRounding.AwayFromZero);

    /// <summary>Below the threshold: the caregivers are warned. A score equal to the threshold is not.</summary>
    public static bool WarrantsWarning(decimal score, decimal threshold) => score < threshold;
}
