using Microsoft.Extensions.Configuration;
using Relief.Api.Supervision;

namespace Relief.Api.Tests.Supervision;

/// <summary>The evaluation schedule (定期评比), without a database or HTTP.</summary>
public sealed class EvaluationScheduleDecisionTests
{
    private static readonly EvaluationSchedule Quarterly = EvaluationSchedule.Default;
    private static readonly EvaluationPeriod Q3 = new("2020-Q3", new DateOnly(2020, 7, 1), new DateOnly(2020, 9, 30));

    [Fact]
    public void By_default_the_schedule_is_quarterly_from_2020_Q3_with_a_month_of_grace()
    {
        var schedule = EvaluationSchedule.From(new ConfigurationBuilder().Build());

        Assert.Equal(Quarterly, schedule);
        Assert.Equal(Q3, schedule.PeriodOf(new DateOnly(2020, 8, 15)));
        Assert.Equal(new DateOnly(2020, 10, 31), schedule.DueBy(Q3));
        Assert.Equal(["2020-Q3", "2020-Q4"], schedule.PeriodsStartingBy(new DateOnly(2020, 10, 1)).Select(p => p.Label));
        Assert.Equal(["2020-Q3"], schedule.EndedBy(new DateOnly(2020, 10, 15)).Select(p => p.Label));
    }

    [Fact]
    public void The_cadence_the_first_period_and_the_grace_are_configurable()
    {
        var schedule = EvaluationSchedule.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relief:Evaluations:Schedule:Cadence"] = "Month",
            ["Relief:Evaluations:Schedule:FirstPeriod"] = "2020-09",
            ["Relief:Evaluations:Schedule:GraceDays"] = "10",
        }).Build());

        Assert.Equal(["2020-09", "2020-10"], schedule.PeriodsStartingBy(new DateOnly(2020, 10, 1)).Select(p => p.Label));
        Assert.Equal(new DateOnly(2020, 10, 10), schedule.DueBy(schedule.Parse("2020-09")!));
        Assert.Null(schedule.Parse("2020-Q3"));
    }

    [Fact]
    public void A_household_is_due_when_on_the_register_for_the_whole_period()
    {
        Assert.True(EvaluationSchedule.IsDue(new DateOnly(2020, 7, 1), null, Q3));
        Assert.False(EvaluationSchedule.IsDue(new DateOnly(2020, 7, 2), null, Q3));
        Assert.False(EvaluationSchedule.IsDue(new DateOnly(2020, 4, 6), new DateOnly(2020, 9, 30), Q3));
        Assert.True(EvaluationSchedule.IsDue(new DateOnly(2020, 4, 6), new DateOnly(2020, 10, 1), Q3));
    }

    [Fact]
    public void An_evaluation_is_due_after_the_period_missing_after_the_grace_and_done_once_recorded()
    {
        Assert.Equal(ScheduledStatus.Running, Quarterly.StatusOn(new DateOnly(2020, 9, 30), Q3, null));
        Assert.Equal(ScheduledStatus.Due, Quarterly.StatusOn(new DateOnly(2020, 10, 31), Q3, null));
        Assert.Equal(ScheduledStatus.Missing, Quarterly.StatusOn(new DateOnly(2020, 11, 1), Q3, null));
        Assert.Equal(ScheduledStatus.Evaluated, Quarterly.StatusOn(new DateOnly(2020, 11, 1), Q3, new DateOnly(2020, 11, 1)));
        Assert.Equal(ScheduledStatus.Missing, Quarterly.StatusOn(new DateOnly(2020, 11, 1), Q3, new DateOnly(2020, 11, 2)));
    }

    [Fact]
    public void The_spans_of_a_period_end_on_the_day_it_is_evaluated()
    {
        Assert.Equal([(ScheduledStatus.Due, new DateOnly(2020, 10, 1), (DateOnly?)new DateOnly(2020, 11, 1)),
            (ScheduledStatus.Missing, new DateOnly(2020, 11, 1), null)], Quarterly.Spans(Q3, null));
        Assert.Equal([(ScheduledStatus.Due, new DateOnly(2020, 10, 1), (DateOnly?)new DateOnly(2020, 10, 12))],
            Quarterly.Spans(Q3, new DateOnly(2020, 10, 12)));
        Assert.Equal([(ScheduledStatus.Due, new DateOnly(2020, 10, 1), (DateOnly?)new DateOnly(2020, 11, 1)),
            (ScheduledStatus.Missing, new DateOnly(2020, 11, 1), new DateOnly(2020, 11, 20))], Quarterly.Spans(Q3, new DateOnly(2020, 11, 20)));
        Assert.Empty(Quarterly.Spans(Q3, new DateOnly(2020, 9, 20)));
    }
}
