using Relief.Api.CareAgreements;
using Relief.Api.Households;
using Relief.Api.Supervision;
using Relief.Core.Events;
using Relief.Core.Calendar;
using Relief.Core.Protection;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

/// <summary>
/// A household: counted from registration to closure; covered while an agreement is in force; due an
/// evaluation of each period of the schedule (<see cref="EvaluationSchedule"/>) it was on the register for.
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
        foreach (var period in Schedule.PeriodsStartingBy(bound).Where(p => EvaluationSchedule.IsDue(Since, ClosedOn, p)))
        {
            var evaluatedOn = Evaluations.Values.Where(e => EvaluationSchedule.Covers(e.From, e.To, period)).Min(e => (DateOnly?)e.EvaluatedOn);
            foreach (var (status, from, until) in Schedule.Spans(period, evaluatedOn))
                yield return new Span(status == ScheduledStatus.Due ? M.EvaluationsDue : M.EvaluationsMissing, Township, from, until);
        }
    }
}

/// <summary>A happiness survey of a household: its day and its index.</summary>
public sealed record DispatchHappiness(DateOnly SurveyedOn, int Index);

/// <summary>An evaluation of a household: the period it covers and the day it was recorded.</summary>
public sealed record DispatchEvaluation(DateOnly From, DateOnly To, DateOnly EvaluatedOn);
