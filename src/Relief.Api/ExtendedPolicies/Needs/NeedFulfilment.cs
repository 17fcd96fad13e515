namespace Relief.Api.ExtendedPolicies.Needs;

// 逐人落实: each need the survey found (需求排查), followed to the case or measure that meets it.
// The rule is one pure function, read by the family's and the county's needs routes and by the
// weekly report alike, so that the three never disagree.

/// <summary>Where a need stands: nothing done yet, a case in progress, or met by a measure.</summary>
public enum NeedStatus { Open, InProgress, Met }

/// <summary>What kind of record meets a need.</summary>
public enum MeasureKind { PolicyCase, Enrolment, Placement, FamilyDoctorAgreement }

/// <summary>
/// A measure taken for a family: of <c>Policy</c>, begun on <c>From</c>, delivered on <c>DeliveredOn</c>
/// (a case granted, an enrolment made, a placement, a family-doctor agreement signed; null while it is not),
/// <c>InProgress</c> while a case is open.
/// </summary>
public sealed record Measure(ExtendedPolicy Policy, MeasureKind Kind, Guid Id, DateOnly From, DateOnly? DeliveredOn, bool InProgress);

/// <summary>One need of the latest survey and where it stands; <c>By</c> is the measure that meets it or is in progress.</summary>
public sealed record NeedState(ExtendedPolicy Policy, NeedStatus Status, Measure? By);

/// <summary>A survey as the rule needs it: its day and the policies it found needed.</summary>
public sealed record SurveyedNeeds(DateOnly SurveyedOn, IReadOnlyList<ExtendedPolicy> Needs);

/// <summary>
/// The rule of 逐人落实. A need of a survey is <b>met</b> by the first measure of its policy delivered on or
/// after the survey's day (a case of that policy granted, for training and employment also an enrolment not
/// withdrawn or a job placement, for the family doctor a family-doctor agreement signed): what was delivered
/// before the survey did not meet what the survey found. Otherwise it is <b>in progress</b> while a case of
/// its policy is open, and <b>open</b> when nothing is. Unmet = open or in progress. The latest survey
/// stands: a later survey replaces the needs of an earlier one from its own day.
/// </summary>
public static class NeedFulfilment
{
    public static NeedState Follow(ExtendedPolicy need, DateOnly surveyedOn, IEnumerable<Measure> measures)
    {
        var ofPolicy = measures.Where(m => m.Policy == need).ToList();
        if (MetBy(ofPolicy, surveyedOn) is { } met) return new NeedState(need, NeedStatus.Met, met);
        return ofPolicy.Where(m => m.InProgress).OrderByDescending(m => m.From).ThenBy(m => m.Id).FirstOrDefault() is { } open
            ? new NeedState(need, NeedStatus.InProgress, open)
            : new NeedState(need, NeedStatus.Open, null);
    }

    /// <summary>Every need of the survey, in policy order.</summary>
    public static IReadOnlyList<NeedState> Follow(SurveyedNeeds? survey, IReadOnlyList<Measure> measures) =>
        survey is null ? [] : survey.Needs.Order().Select(n => Follow(n, survey.SurveyedOn, measures)).ToList();

    /// <summary>
    /// The days each need was unmet, survey by survey (in date order): from the survey's day until the
    /// day its measure was delivered or the next survey, whichever comes first (null: still unmet).
    /// </summary>
    public static IReadOnlyList<(ExtendedPolicy Policy, DateOnly From, DateOnly? Until)> UnmetSpans(
        IReadOnlyList<SurveyedNeeds> surveys, IReadOnlyList<Measure> measures)
    {
        var spans = new List<(ExtendedPolicy, DateOnly, DateOnly?)>();
        var ordered = surveys.OrderBy(s => s.SurveyedOn).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var survey = ordered[i];
            DateOnly? next = i + 1 < ordered.Count ? ordered[i + 1].SurveyedOn : null;
            foreach (var need in survey.Needs.Distinct().Order())
            {
                var met = MetBy(measures.Where(m => m.Policy == need).ToList(), survey.SurveyedOn)?.DeliveredOn;
                var until = met is null ? next : next is null || met < next ? met : next;
                if (until is null || until > survey.SurveyedOn) spans.Add((need, survey.SurveyedOn, until));
            }
        }

        return spans;
    }

    private static Measure? MetBy(IReadOnlyList<Measure> ofPolicy, DateOnly surveyedOn) =>
        ofPolicy.Where(m => m.DeliveredOn is { } on && on >= surveyedOn).OrderBy(m => m.DeliveredOn).ThenBy(m => m.Id).FirstOrDefault();
}
