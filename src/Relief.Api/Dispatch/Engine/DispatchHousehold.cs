using Relief.Api.CareAgreements;
using Relief.Api.CarePlans;
using Relief.Api.Households;
using Relief.Api.Supervision;
using Relief.Core.Events;
using Relief.Core.Calendar;
using Relief.Core.Protection;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

/// <summary>
/// A household: counted from registration to closure; covered while an agreement is in force; with its
/// care plan (一户一策, one per household) and the visits recorded on it; due an evaluation of each period of
/// the schedule (<see cref="EvaluationSchedule"/>) it was on the register for; with its happiness surveys.
/// </summary>
public sealed class DispatchHousehold : IDispatchSubject
{
    /// <summary>The household an event is about, when it is one of its events.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        HouseholdRegistered e => e.HouseholdId,
        HouseholdDetailsChanged e => e.HouseholdId,
        HouseholdClosed e => e.HouseholdId,
        CareAgreementSigned e => e.HouseholdId,
        CareAgreementRenewed e => e.HouseholdId,
        CareAgreementAmended e => e.HouseholdId,
        CareAgreementEnded e => e.HouseholdId,
        CarePlanActivated e => e.HouseholdId,
        CarePlanReviewed e => e.HouseholdId,
        OutreachVisitRecorded e => e.HouseholdId,
        FollowUpVisitRecorded e => e.HouseholdId,
        CareChosen e => e.HouseholdId,
        HouseholdEvaluated e => e.HouseholdId,
        HappinessSurveyed e => e.HouseholdId,
        _ => null,
    };
    public void Apply(object data)
    {
        if (data is IHasBusinessDate { BusinessDate: var day } && day > LastDate) LastDate = day;
        switch (data)
        {
            case HouseholdRegistered e: Apply(e, ChinaTime.Today(e.RegisteredAt)); break;
            case HouseholdEvaluated e: Evaluations[e.EvaluationId] = new DispatchEvaluation(e.From, e.To, e.EvaluatedOn); break;
            case HappinessSurveyed e: Happiness.Add(new DispatchHappiness(e.SurveyedOn, e.Index)); break;
            case HouseholdDetailsChanged e: Apply(e); break;
            case HouseholdClosed e: Apply(e); break;
            case CareAgreementSigned e: Apply(e); break;
            case CareAgreementRenewed e: Apply(e); break;
            case CareAgreementAmended e: Apply(e); break;
            case CareAgreementEnded e: Apply(e); break;
            case CarePlanActivated e: Plan.Apply(e); break;
            case CarePlanReviewed e: Plan.Apply(e); break;
            case OutreachVisitRecorded e: Plan.Apply(e); break;
            case FollowUpVisitRecorded e: Plan.Apply(e); break;
            case CareChosen e: Plan.Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public string Village { get; set; } = "";

    /// <summary>The head's name, sealed as in the events: list items name it by reference, resolved when read.</summary>
    public ProtectedValue HeadName { get; set; } = ProtectedValue.LegacyPlaintext("");
    public DateOnly Since { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public Dictionary<Guid, CareAgreement> Agreements { get; set; } = [];

    /// <summary>The household's care plan as the report counts it (empty until one is recorded).</summary>
    public DispatchPlan Plan { get; set; } = new();

    /// <summary>The household's evaluations, by id: the periods they cover and the day each was recorded.</summary>
    public Dictionary<Guid, DispatchEvaluation> Evaluations { get; set; } = [];

    /// <summary>The household's happiness surveys, in the order recorded.</summary>
    public List<DispatchHappiness> Happiness { get; set; } = [];

    /// <summary>The latest business date of the household's events: its schedule is written a year ahead of it.</summary>
    public DateOnly LastDate { get; set; }

    /// <summary>The evaluation schedule in force (configuration, set by the projection; not stored).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public EvaluationSchedule Schedule { get; set; } = EvaluationSchedule.Default;

    public void Apply(HouseholdRegistered e, DateOnly on)
    {
        Id = e.HouseholdId;
        Township = e.Township;
        Village = e.Village;
        HeadName = e.HeadName;
        Since = on;
    }

    public void Apply(HouseholdDetailsChanged e)
    {
        Village = e.Village;
        HeadName = e.HeadName;
    }

    public void Apply(HouseholdClosed e) => ClosedOn = e.ClosedOn;

    public void Apply(CareAgreementSigned e) => Agreements[e.AgreementId] = CareAgreement.Create(e);

    public void Apply(CareAgreementRenewed e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public void Apply(CareAgreementAmended e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public void Apply(CareAgreementEnded e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public Contribution Contribution()
    {
        // Agreements may be recorded before the household's own registration event is counted
        // (another stream): until then the household contributes nothing.
        if (Township.Length == 0) return Engine.Contribution.None;

        var until = ClosedOn;
        var spans = new List<Span> { new(M.Households, Township, Since, until) };
        var covered = Days.Union(Days.Within(
            Agreements.Values.Select(a => (a.StartsOn, Days.After(a.LastDay))), Since, until));
        spans.AddRange(covered.Select(c => new Span(M.HouseholdsCovered, Township, c.From, c.Until)));

        spans.AddRange(Plan.Spans(Township, Since, until));

        var label = $"{Village} · ";
        var items = Days.Gaps(covered, Since, until)
            .Select(g => new DispatchItem($"uncovered:{Id}:{g.From:yyyyMMdd}", DispatchList.HouseholdWithoutAgreement, Id,
                Township, label, g.From, g.Until, Name: HeadName))
            .ToList();
        spans.AddRange(ScheduledEvaluations());
        spans.AddRange(HappinessSpans());
        return new Contribution(spans, items);
    }

    /// <summary>
    /// The household's happiness index while each survey is its latest (by date, then as recorded), until the
    /// next survey or its closure: counted once among the households surveyed and its index times in the points.
    /// </summary>
    private IEnumerable<Span> HappinessSpans()
    {
        var latestOfDay = Happiness.Select((s, order) => (s, order)).GroupBy(x => x.s.SurveyedOn)
            .Select(g => g.MaxBy(x => x.order).s).OrderBy(s => s.SurveyedOn).ToList();
        for (var i = 0; i < latestOfDay.Count; i++)
        {
            var from = latestOfDay[i].SurveyedOn;
            var until = Days.Earlier(i + 1 < latestOfDay.Count ? latestOfDay[i + 1].SurveyedOn : null, ClosedOn);
            if (until is { } end && end <= from) continue;
            yield return new Span(M.HappinessHouseholds, Township, from, until);
            yield return new Span(M.HappinessPoints, Township, from, until, latestOfDay[i].Index);
        }
    }

    /// <summary>
    /// The days an evaluation of each period is due and missing (<see cref="EvaluationSchedule.Spans"/>), for
    /// the periods that start within a year of the household's latest event: a schedule is open-ended, the
    /// report's figures cannot be, so a household with no event for more than a year stops adding periods.
    /// </summary>
    private IEnumerable<Span> ScheduledEvaluations()
    {
        var bound = (LastDate > Since ? LastDate : Since).AddYears(1);
        // A period is due only from a household's registration on: the periods before it are not walked.
        foreach (var period in Schedule.PeriodsStarting(Since, bound).Where(p => EvaluationSchedule.IsDue(Since, ClosedOn, p)))
        {
            var evaluatedOn = Evaluations.Values.Where(e => EvaluationSchedule.Covers(e.From, e.To, period)).Min(e => (DateOnly?)e.EvaluatedOn);
            foreach (var (status, from, until) in Schedule.Spans(period, evaluatedOn))
                yield return new Span(status == ScheduledStatus.Due ? M.EvaluationsDue : M.EvaluationsMissing, Township, from, until);
        }
    }
}

/// <summary>
/// The care plan of a household as the report counts it, from the dates its events carry: in force
/// from its activation; each review period due from the day it falls due until the review (or the day
/// after its date), then overdue until the review; the household is without a plan in force until the
/// activation; each visit counts once from its day; a follow-up is due from its day until the next visit.
/// </summary>
public sealed class DispatchPlan
{
    public DateOnly? ActivatedOn { get; set; }

    /// <summary>Each review period: the day it falls due, its date, and the day it was reviewed (null while it waits).</summary>
    public List<ReviewPeriod> Reviews { get; set; } = [];
    public List<DateOnly> OutreachVisits { get; set; } = [];
    public List<DateOnly> FollowUpVisits { get; set; } = [];

    /// <summary>Each follow-up that fell due: its day, and the day of the visit that answered it (null while none).</summary>
    public List<FollowUpPeriod> FollowUps { get; set; } = [];

    public void Apply(CarePlanActivated e)
    {
        ActivatedOn = e.ActivatedOn;
        Reviews.Add(new ReviewPeriod(e.ActivatedOn, e.ReviewDueFrom, e.NextReviewOn, null));
        NextFollowUp(e.NextFollowUpOn);
    }

    public void Apply(CarePlanReviewed e)
    {
        if (Reviews.Count > 0) Reviews[^1] = Reviews[^1] with { ReviewedOn = e.ReviewedOn };
        Reviews.Add(new ReviewPeriod(e.ReviewedOn, e.ReviewDueFrom, e.NextReviewOn, null));
    }

    public void Apply(OutreachVisitRecorded e) => OutreachVisits.Add(e.VisitedOn);

    public void Apply(FollowUpVisitRecorded e)
    {
        FollowUpVisits.Add(e.VisitedOn);
        if (FollowUps.Count > 0 && FollowUps[^1].VisitedOn is null) FollowUps[^1] = FollowUps[^1] with { VisitedOn = e.VisitedOn };
        NextFollowUp(e.NextFollowUpOn);
    }

    /// <summary>Care chosen anew moves the follow-up that waits (a plan in force only).</summary>
    public void Apply(CareChosen e)
    {
        if (ActivatedOn is null) return;
        if (FollowUps.Count > 0 && FollowUps[^1].VisitedOn is null) FollowUps.RemoveAt(FollowUps.Count - 1);
        NextFollowUp(e.NextFollowUpOn);
    }

    private void NextFollowUp(DateOnly? dueOn)
    {
        if (dueOn is { } day) FollowUps.Add(new FollowUpPeriod(day, null));
    }

    /// <summary>The plan's spans, clipped to the days the household is counted ([since, until)).</summary>
    public IEnumerable<Span> Spans(string township, DateOnly since, DateOnly? until)
    {
        IEnumerable<Span> Clipped(string metric, DateOnly from, DateOnly? to) =>
            Days.Within([(from, to)], since, until).Select(s => new Span(metric, township, s.From, s.Until));

        var spans = new List<Span>();
        spans.AddRange(Clipped(M.HouseholdsWithoutCarePlan, since, ActivatedOn));
        if (ActivatedOn is { } activated) spans.AddRange(Clipped(M.CarePlansActive, activated, null));
        foreach (var review in Reviews)
        {
            var overdueFrom = review.ReviewOn.AddDays(1);
            var dueFrom = review.DueFrom > review.From ? review.DueFrom : review.From;
            spans.AddRange(Clipped(M.CarePlansDueForReview, dueFrom, Days.Earlier(review.ReviewedOn, overdueFrom)));
            spans.AddRange(Clipped(M.CarePlansOverdue, overdueFrom, review.ReviewedOn));
        }

        spans.AddRange(OutreachVisits.SelectMany(day => Clipped(M.OutreachVisits, day, null)));
        spans.AddRange(FollowUpVisits.SelectMany(day => Clipped(M.FollowUpVisits, day, null)));
        spans.AddRange(FollowUps.SelectMany(f => Clipped(M.FollowUpVisitsDue, f.DueOn, f.VisitedOn)));
        return spans.Where(s => !s.IsEmpty);
    }
}

/// <summary>A review period of a plan: from <c>From</c> (its activation or the review before), due from <c>DueFrom</c>, by <c>ReviewOn</c>, reviewed on <c>ReviewedOn</c>.</summary>
public sealed record ReviewPeriod(DateOnly From, DateOnly DueFrom, DateOnly ReviewOn, DateOnly? ReviewedOn);

/// <summary>A follow-up visit due on <c>DueOn</c>, made on <c>VisitedOn</c>.</summary>
public sealed record FollowUpPeriod(DateOnly DueOn, DateOnly? VisitedOn);

/// <summary>A happiness survey of a household: its day and its index.</summary>
public sealed record DispatchHappiness(DateOnly SurveyedOn, int Index);

/// <summary>An evaluation of a household: the period it covers and the day it was recorded.</summary>
public sealed record DispatchEvaluation(DateOnly From, DateOnly To, DateOnly EvaluatedOn);
