using Marten;
using Relief.Api.Households;
using Relief.Core.Calendar;
using Wolverine;

namespace Relief.Api.CarePlans.Reviews;

/// <summary>Which moment of a review a check stands for.</summary>
public enum ReviewCheck
{
    /// <summary>The review window opens: the review falls due.</summary>
    FallsDue,
    /// <summary>The review date has passed: the review is overdue.</summary>
    Overdue,
}

/// <summary>
/// A durable scheduled message: at <c>At</c>, is plan <c>PlanId</c> still waiting for the review due
/// by <c>ReviewOn</c>? Then it fell due (or is overdue). Scheduled in the same transaction as the
/// event that set the review date (Wolverine's durable inbox in PostgreSQL), so it survives a restart.
/// </summary>
public sealed record CheckCarePlanReview(Guid PlanId, DateOnly ReviewOn, ReviewCheck Check, DateTimeOffset At);

public static class CarePlanReviews
{
    /// <summary>
    /// The shortest delay a check is scheduled with: a review date already past is still checked by a
    /// scheduled message, never at once (a request with an Idempotency-Key commits after the handler).
    /// </summary>
    public static readonly TimeSpan MinimumDelay = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The two checks of a review date: when it falls due and when it is overdue (the day after it). The
    /// delay is measured on the injected clock (<c>now</c>), as case deadlines are.
    /// </summary>
    public static OutgoingMessages For(Guid planId, DateOnly reviewOn, DateOnly dueFrom, DateTimeOffset now) =>
    [
        Schedule(new CheckCarePlanReview(planId, reviewOn, ReviewCheck.FallsDue, CarePlanSchedule.StartOf(dueFrom)), now),
        Schedule(new CheckCarePlanReview(planId, reviewOn, ReviewCheck.Overdue, CarePlanSchedule.StartOf(reviewOn.AddDays(1))), now),
    ];

    private static DeliveryMessage<CheckCarePlanReview> Schedule(CheckCarePlanReview check, DateTimeOffset now)
    {
        var delay = check.At - now;
        return check.DelayedFor(delay < MinimumDelay ? MinimumDelay : delay);
    }

    /// <summary>
    /// The decision of a check: the review fell due (or is overdue) when the plan is in force, still
    /// waits for that review, has not been found so already, and the moment has come; nothing when the
    /// plan was reviewed since, is unknown, or its household closed (a check delivered twice changes
    /// nothing). A check delivered early is scheduled again for the rest of the time.
    /// </summary>
    public static (IReadOnlyList<object> Events, OutgoingMessages Later) Decide(CheckCarePlanReview check, CarePlan? plan,
        bool householdClosed, DateTimeOffset now)
    {
        if (plan is not { IsActive: true } || householdClosed || plan.NextReviewOn != check.ReviewOn) return ([], []);
        var alreadyFound = check.Check == ReviewCheck.FallsDue ? plan.Status != PlanStatus.Active : plan.Status == PlanStatus.Overdue;
        if (alreadyFound) return ([], []);
        if (now < check.At) return ([], [Schedule(check, now)]);

        var day = ChinaTime.Today(check.At);
        object raised = check.Check == ReviewCheck.FallsDue
            ? new CarePlanReviewFellDue(plan.Id, plan.HouseholdId, check.ReviewOn, day)
            : new CarePlanReviewOverdue(plan.Id, plan.HouseholdId, check.ReviewOn, day);
        return ([raised], []);
    }
}

/// <summary>Handles <see cref="CheckCarePlanReview"/>: loads the plan for writing and appends what <see cref="CarePlanReviews.Decide"/> decides.</summary>
public static class CheckCarePlanReviewHandler
{
    public static async Task<OutgoingMessages> Handle(CheckCarePlanReview message, IDocumentSession session, DateTimeOffset now,
        CancellationToken token)
    {
        var stream = await session.Events.FetchForWriting<CarePlan>(message.PlanId, token);
        var closed = stream.Aggregate is { } plan && (await session.LoadAsync<HouseholdDetails>(plan.HouseholdId, token))?.Closure is not null;
        var (events, later) = CarePlanReviews.Decide(message, stream.Aggregate, closed, now);
        if (events.Count > 0) stream.AppendMany(events.ToArray());
        return later;
    }
}
