using System.Globalization;

namespace Relief.Api.Supervision;

/// <summary>How often each household is evaluated (定期评比).</summary>
public enum EvaluationCadence { Quarter, Month }

/// <summary>A period of the schedule: its label (<c>2020-Q3</c>, <c>2020-09</c>) and its days.</summary>
public sealed record EvaluationPeriod(string Label, DateOnly From, DateOnly To);

/// <summary>Where one household's evaluation of one period stands on a day.</summary>
public enum ScheduledStatus { Running, Due, Missing, Evaluated }

/// <summary>
/// The evaluation schedule (定期评比), from configuration (<c>Relief:Evaluations:Schedule</c>): every
/// <c>Cadence</c> (<c>Quarter</c> by default, or <c>Month</c>) from <c>FirstPeriod</c> on (default
/// <c>2020-Q3</c>), each household on the register for the whole period (registered on or before its first
/// day, not closed before its last) is due one evaluation of that period (one recorded for exactly its days,
/// e.g. <c>period: 2020-Q3</c>). It is <b>due</b> from the day after the period until <c>GraceDays</c>
/// (default 31) after it, then <b>missing</b> until recorded; an evaluation recorded on a day ends both.
/// </summary>
public sealed record EvaluationSchedule(EvaluationCadence Cadence, DateOnly FirstPeriodStart, int GraceDays)
{
    public const string Section = "Relief:Evaluations:Schedule";

    public static readonly EvaluationSchedule Default = new(EvaluationCadence.Quarter, new DateOnly(2020, 7, 1), 31);

    /// <summary>The configured schedule; anything not configured keeps its default. A first period the cadence cannot read fails at start.</summary>
    public static EvaluationSchedule From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var cadence = section.GetValue<EvaluationCadence?>("Cadence") ?? Default.Cadence;
        var grace = section.GetValue<int?>("GraceDays") ?? Default.GraceDays;
        if (grace < 0) throw new InvalidOperationException($"{Section}:GraceDays must not be negative.");
        var first = section.GetValue<string?>("FirstPeriod");
        var schedule = Default with { Cadence = cadence, GraceDays = grace };
        if (first is null) return schedule with { FirstPeriodStart = schedule.PeriodOf(Default.FirstPeriodStart).From };
        return schedule.Parse(first) is { } period
            ? schedule with { FirstPeriodStart = period.From }
            : throw new InvalidOperationException($"{Section}:FirstPeriod '{first}' is not a {cadence} (2020-Q3 or 2020-09).");
    }

    /// <summary>The period holding a day.</summary>
    public EvaluationPeriod PeriodOf(DateOnly day)
    {
        if (Cadence == EvaluationCadence.Month)
        {
            var month = new DateOnly(day.Year, day.Month, 1);
            return new EvaluationPeriod(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), month, month.AddMonths(1).AddDays(-1));
        }

        var quarter = (day.Month - 1) / 3 + 1;
        var from = new DateOnly(day.Year, 3 * quarter - 2, 1);
        return new EvaluationPeriod($"{day.Year}-Q{quarter}", from, from.AddMonths(3).AddDays(-1));
    }

    /// <summary>A period of this cadence by its label, or null.</summary>
    public EvaluationPeriod? Parse(string label)
    {
        var asked = new EvaluateHousehold(label, null, null, null, null, null, null, null).ResolvePeriod();
        if (asked is not { } p) return null;
        var period = PeriodOf(p.From);
        return period.From == p.From && period.To == p.To ? period : null;
    }

    /// <summary>The last day an evaluation of the period is due; missing from the day after.</summary>
    public DateOnly DueBy(EvaluationPeriod period) => period.To.AddDays(GraceDays);

    /// <summary>The periods of the schedule that start on or before <paramref name="until"/>, the first first.</summary>
    public IEnumerable<EvaluationPeriod> PeriodsStartingBy(DateOnly until)
    {
        for (var period = PeriodOf(FirstPeriodStart); period.From <= until; period = PeriodOf(period.To.AddDays(1))) yield return period;
    }

    /// <summary>
    /// The periods of the schedule that start on or after <paramref name="from"/> and on or before
    /// <paramref name="until"/>, the first first: <see cref="PeriodsStartingBy"/> without walking the
    /// periods before <paramref name="from"/>.
    /// </summary>
    public IEnumerable<EvaluationPeriod> PeriodsStarting(DateOnly from, DateOnly until)
    {
        var period = PeriodOf(from > FirstPeriodStart ? from : FirstPeriodStart);
        if (period.From < from) period = PeriodOf(period.To.AddDays(1));
        for (; period.From <= until; period = PeriodOf(period.To.AddDays(1))) yield return period;
    }

    /// <summary>The periods that had ended by <paramref name="day"/>, the latest first.</summary>
    public IEnumerable<EvaluationPeriod> EndedBy(DateOnly day) => PeriodsStartingBy(day).Where(p => p.To < day).Reverse();

    /// <summary>Whether a household registered on <paramref name="registeredOn"/> (closed on <paramref name="closedOn"/>) is due an evaluation of the period.</summary>
    public static bool IsDue(DateOnly registeredOn, DateOnly? closedOn, EvaluationPeriod period) =>
        registeredOn <= period.From && (closedOn is null || closedOn > period.To);

    /// <summary>An evaluation covers a period when it was recorded for exactly its days.</summary>
    public static bool Covers(DateOnly from, DateOnly to, EvaluationPeriod period) => from == period.From && to == period.To;

    /// <summary>Where a household's due evaluation of the period stands on <paramref name="day"/>, given the day it was evaluated (null: not yet).</summary>
    public ScheduledStatus StatusOn(DateOnly day, EvaluationPeriod period, DateOnly? evaluatedOn) =>
        evaluatedOn is { } on && on <= day ? ScheduledStatus.Evaluated
        : day <= period.To ? ScheduledStatus.Running
        : day <= DueBy(period) ? ScheduledStatus.Due
        : ScheduledStatus.Missing;

    /// <summary>
    /// The days a household's evaluation of the period is due and missing: due from the day after the
    /// period to the day after its grace (or the day it was evaluated), missing from then until evaluated
    /// (null: still missing). Empty spans are left out.
    /// </summary>
    public IEnumerable<(ScheduledStatus Status, DateOnly From, DateOnly? Until)> Spans(EvaluationPeriod period, DateOnly? evaluatedOn)
    {
        var dueFrom = period.To.AddDays(1);
        var missingFrom = DueBy(period).AddDays(1);
        var dueUntil = evaluatedOn is { } e && e < missingFrom ? e : missingFrom;
        if (dueUntil > dueFrom) yield return (ScheduledStatus.Due, dueFrom, dueUntil);
        if (evaluatedOn is null || evaluatedOn > missingFrom) yield return (ScheduledStatus.Missing, missingFrom, evaluatedOn);
    }
}
