using Relief.Core.Events;
using Relief.Core.Protection;

namespace Relief.Api.Supervision;

// The happiness survey stream (幸福指数): one stream per survey of a household, recorded once.

/// <summary>
/// A household's happiness was surveyed on <c>SurveyedOn</c> by <c>Surveyor</c>: three answers on the
/// <see cref="HappinessScale"/> (1 to 5) and the survey's <c>Index</c> (0 to 100) computed from them by the
/// scale in force when it was recorded. The note is sealed under the household's key.
/// </summary>
public sealed record HappinessSurveyed(
    Guid SurveyId,
    Guid HouseholdId,
    string Township,
    DateOnly SurveyedOn,
    string Surveyor,
    int QualityOfLife,
    int Spirit,
    int Satisfaction,
    int Index,
    ProtectedValue? Note) : IHouseholdEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => SurveyedOn;
}

/// <summary>The write model of a happiness survey: nothing changes it after it is recorded.</summary>
public sealed class HappinessSurvey
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid HouseholdId { get; set; }

    public static HappinessSurvey Create(HappinessSurveyed e) => new() { Id = e.SurveyId, HouseholdId = e.HouseholdId };
}

/// <summary>
/// The happiness survey's scale (幸福指数). Three questions, each answered 1 to 5:
/// <list type="table">
/// <item><term>Quality of life (生活质量)</term><description>1 very poor: food, housing or care often lacking; 2 poor;
/// 3 adequate: needs met day to day; 4 good; 5 very good: well fed, housed and cared for.</description></item>
/// <item><term>Spirit (精神面貌)</term><description>1 very low: withdrawn, distressed; 2 low; 3 calm;
/// 4 cheerful; 5 very cheerful: active, looking forward.</description></item>
/// <item><term>Satisfaction (满意度)</term><description>1 very dissatisfied with the care and the help received;
/// 2 dissatisfied; 3 neither; 4 satisfied; 5 very satisfied.</description></item>
/// </list>
/// A survey's <see cref="Index"/> runs from 0 (every answer 1) to 100 (every answer 5): the three answers'
/// distance above the lowest, as a share of the widest: <c>(q + s + t − 3) × 100 / 12</c>, rounded half away
/// from zero to a whole number. A household's index is that of its latest survey (by date, then as recorded); a
/// township's or the county's is the mean of its households' indexes, to one decimal; the trend is the mean
/// of the surveys taken in each week or month.
/// </summary>
public static class HappinessScale
{
    public const int Lowest = 1;
    public const int Highest = 5;

    /// <summary>What each answer means, question by question (the same text as above, for the API's readers).</summary>
    public static IReadOnlyDictionary<string, string[]> Levels { get; } = new Dictionary<string, string[]>
    {
        ["qualityOfLife"] = ["very poor: food, housing or care often lacking", "poor", "adequate: needs met day to day", "good", "very good: well fed, housed and cared for"],
        ["spirit"] = ["very low: withdrawn, distressed", "low", "calm", "cheerful", "very cheerful: active, looking forward"],
        ["satisfaction"] = ["very dissatisfied with the care and the help received", "dissatisfied", "neither", "satisfied", "very satisfied"],
    };

    public static int Index(int qualityOfLife, int spirit, int satisfaction) =>
        (int)decimal.Round((qualityOfLife + spirit + satisfaction - 3 * Lowest) * 100m / (3 * (Highest - Lowest)), 0,
            MidpointRounding.AwayFromZero);

    /// <summary>The mean of indexes to one decimal; null when there are none.</summary>
    public static decimal? Mean(IEnumerable<int> indexes)
    {
        var all = indexes.ToList();
        return all.Count == 0 ? null : decimal.Round(all.Sum() / (decimal)all.Count, 1, MidpointRounding.AwayFromZero);
    }
}
