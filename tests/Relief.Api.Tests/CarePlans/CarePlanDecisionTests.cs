using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.CarePlans;
using Relief.Api.CarePlans.Reviews;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Protection;
using Wolverine;
using Wolverine.Http;

namespace Relief.Api.Tests.CarePlans;

/// <summary>Plan decisions, given events and a command, without a database.</summary>
public sealed class CarePlanDecisionTests
{
    private static readonly DateTimeOffset Now = AppFixture.Start; // 2020-10-01 10:00 China time
    private static readonly Caller Office = new("office", Department.PovertyAlleviationOffice, null, new HashSet<string>(Scopes.All), null);
    private static readonly DateOnly ReviewOn = new(2020, 11, 15);
    private static readonly CarePlanSchedule Schedule = new(30, 90, 30);

    private static CarePlan Given(params object[] events)
    {
        var planId = Guid.CreateVersion7();
        var householdId = Guid.CreateVersion7();
        var plan = CarePlan.Create(new CarePlanDrafted(planId, householdId, "mucheng", new DateOnly(2020, 9, 1)));
        plan.Version = 1;
        foreach (var e in events)
        {
            switch (e)
            {
                case CarePlanAssessed x: plan.Apply(x); break;
                case CareChosen x: plan.Apply(x); break;
                case ResponsibleCadreAssigned x: plan.Apply(x); break;
                case ResponsibleCadrePersonalDataErased x: plan.Apply(x); break;
                case CarePlanActivated x: plan.Apply(x); break;
                case CarePlanReviewed x: plan.Apply(x); break;
                case CarePlanReviewFellDue x: plan.Apply(x); break;
                case CarePlanReviewOverdue x: plan.Apply(x); break;
            }

            plan.Version++;
        }

        return plan;
    }

    private static readonly Guid Cadre = Guid.CreateVersion7();
    private static readonly object Assessed = new CarePlanAssessed(Guid.Empty, Guid.Empty, Guid.Empty, new DateOnly(2020, 9, 3), [], []);
    private static readonly object Chosen = new CareChosen(Guid.Empty, Guid.Empty, new DateOnly(2020, 9, 3),
        [new PlanCare(CareMode.KinshipCare, Guid.CreateVersion7(), null)], null);
    private static readonly object Assigned = new ResponsibleCadreAssigned(Guid.Empty, Guid.Empty, Cadre,
        ProtectedValue.LegacyPlaintext("x"), ProtectedValue.LegacyPlaintext("y"), new DateOnly(2020, 9, 3));
    private static readonly object Activated = new CarePlanActivated(Guid.Empty, Guid.Empty, "mucheng", new DateOnly(2020, 9, 5), ReviewOn,
        new DateOnly(2020, 10, 16), new DateOnly(2020, 10, 5));

    private static CheckCarePlanReview Check(ReviewCheck check) =>
        new(Guid.Empty, ReviewOn, check, CarePlanSchedule.StartOf(check == ReviewCheck.FallsDue ? new DateOnly(2020, 10, 16) : new DateOnly(2020, 11, 16)));

    [Fact]
    public void A_check_before_its_time_raises_nothing_and_is_scheduled_again()
    {
        var (events, later) = CarePlanReviews.Decide(Check(ReviewCheck.FallsDue), Given(Assessed, Chosen, Assigned, Activated), false, Now);
        Assert.Empty(events);
        Assert.Single(later);
    }

    [Fact]
    public void A_review_falls_due_from_its_window_and_is_overdue_after_its_date_once_each()
    {
        var plan = Given(Assessed, Chosen, Assigned, Activated);
        var (due, _) = CarePlanReviews.Decide(Check(ReviewCheck.FallsDue), plan, false, Now.AddDays(16));
        var fell = Assert.IsType<CarePlanReviewFellDue>(Assert.Single(due));
        Assert.Equal(new DateOnly(2020, 10, 16), fell.DueFrom);

        var duePlan = Given(Assessed, Chosen, Assigned, Activated, fell);
        Assert.Equal(PlanStatus.DueForReview, duePlan.Status);
        Assert.Empty(CarePlanReviews.Decide(Check(ReviewCheck.FallsDue), duePlan, false, Now.AddDays(20)).Events);

        var (overdue, _) = CarePlanReviews.Decide(Check(ReviewCheck.Overdue), duePlan, false, Now.AddDays(47));
        var late = Assert.IsType<CarePlanReviewOverdue>(Assert.Single(overdue));
        Assert.Equal(new DateOnly(2020, 11, 16), late.OverdueFrom);
        var overduePlan = Given(Assessed, Chosen, Assigned, Activated, fell, late);
        Assert.Equal(PlanStatus.Overdue, overduePlan.Status);
        Assert.Empty(CarePlanReviews.Decide(Check(ReviewCheck.Overdue), overduePlan, false, Now.AddDays(60)).Events);
    }

    [Fact]
    public void A_check_of_a_review_made_since_of_a_draft_or_of_a_closed_household_raises_nothing()
    {
        var reviewed = Given(Assessed, Chosen, Assigned, Activated,
            new CarePlanReviewed(Guid.Empty, Guid.Empty, new DateOnly(2020, 10, 1), new DateOnly(2021, 4, 1), new DateOnly(2021, 3, 2), null));
        Assert.Empty(CarePlanReviews.Decide(Check(ReviewCheck.Overdue), reviewed, false, Now.AddDays(60)).Events);
        Assert.Empty(CarePlanReviews.Decide(Check(ReviewCheck.Overdue), Given(Assessed, Chosen, Assigned), false, Now.AddDays(60)).Events);
        Assert.Empty(CarePlanReviews.Decide(Check(ReviewCheck.Overdue), Given(Assessed, Chosen, Assigned, Activated), true, Now.AddDays(60)).Events);
        Assert.Empty(CarePlanReviews.Decide(Check(ReviewCheck.Overdue), null, false, Now.AddDays(60)).Events);
    }

    [Fact]
    public void A_raised_event_of_another_review_date_leaves_the_status_alone()
    {
        var plan = Given(Assessed, Chosen, Assigned, Activated,
            new CarePlanReviewFellDue(Guid.Empty, Guid.Empty, new DateOnly(2020, 6, 1), new DateOnly(2020, 5, 2)));
        Assert.Equal(PlanStatus.Active, plan.Status);
    }

    private static bool Passes(ProblemDetails problem) => ReferenceEquals(problem, WolverineContinue.NoProblems);

    private static readonly PlanHousehold Open = new(new Relief.Api.Households.HouseholdDetails(), null);

    [Fact]
    public void A_plan_comes_into_force_with_an_assessment_care_and_a_cadre_not_erased()
    {
        var command = new ActivateCarePlan(5, new DateOnly(2020, 9, 5), ReviewOn);
        Assert.True(Passes(ActivateCarePlanEndpoint.Validate(command, Given(Assessed, Chosen, Assigned), Open, Office, Now)));
        foreach (var (plan, lacks) in new[]
                 {
                     (Given(Chosen, Assigned), "an assessment"),
                     (Given(Assessed, Assigned), "chosen care"),
                     (Given(Assessed, Chosen), "a responsible cadre"),
                     (Given(Assessed, Chosen, Assigned, new ResponsibleCadrePersonalDataErased(Guid.Empty, Guid.Empty, Cadre, "x", Now)), "a responsible cadre"),
                 })
        {
            var problem = ActivateCarePlanEndpoint.Validate(command, plan, Open, Office, Now);
            Assert.Equal(409, problem.Status);
            Assert.Contains(lacks, problem.Detail);
        }

        Assert.Equal(409, ActivateCarePlanEndpoint.Validate(command, Given(Assessed, Chosen, Assigned, Activated), Open, Office, Now).Status);
        Assert.Equal(400, ActivateCarePlanEndpoint.Validate(command with { NextReviewOn = new DateOnly(2020, 9, 5) },
            Given(Assessed, Chosen, Assigned), Open, Office, Now).Status);
    }

    [Fact]
    public void Follow_ups_come_at_the_centres_interval_the_homes_or_the_shorter_of_both()
    {
        PlanCare Centre() => new(CareMode.CentralisedCare, null, Guid.CreateVersion7());
        PlanCare Home() => new(CareMode.NeighbourCare, Guid.CreateVersion7(), null);
        Assert.Equal(90, Schedule.FollowUpInterval([Centre()]));
        Assert.Equal(30, Schedule.FollowUpInterval([Home()]));
        Assert.Equal(30, Schedule.FollowUpInterval([Centre(), Home()]));
        Assert.Equal(60, new CarePlanSchedule(30, 60, 120).FollowUpInterval([Centre(), Home()]));
        Assert.Null(Schedule.FollowUpInterval([]));
        Assert.Equal(new DateOnly(2020, 10, 15), Schedule.ReviewDueFrom(ReviewOn.AddDays(-1)));
    }

    [Fact]
    public void Choosing_care_in_force_moves_the_next_follow_up_to_the_new_interval_from_the_activation()
    {
        var plan = Given(Assessed, Chosen, Assigned, Activated);
        var (_, events) = ChooseCareEndpoint.Post(new ChooseCare(6, new DateOnly(2020, 9, 20),
            [new PlanCareInput(CareMode.CentralisedCare, null, Guid.CreateVersion7())]), plan, Schedule);
        Assert.Equal(new DateOnly(2020, 12, 4), Assert.IsType<CareChosen>(Assert.Single(events)).NextFollowUpOn);
    }
}
