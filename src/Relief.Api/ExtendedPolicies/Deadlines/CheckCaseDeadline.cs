using Marten;
using Relief.Api.Infrastructure.Security;
using Wolverine;

namespace Relief.Api.ExtendedPolicies.Deadlines;

/// <summary>
/// A durable scheduled message: at <c>DueAt</c>, is case <c>CaseId</c> still in <c>Stage</c>? Then it is
/// overdue. Scheduled in the same transaction as the event that entered the stage (Wolverine's
/// durable inbox in PostgreSQL), so it survives a restart.
/// </summary>
public sealed record CheckCaseDeadline(Guid CaseId, CaseStage Stage, DateOnly DueOn, DateTimeOffset DueAt);

public static class CaseDeadlines
{
    /// <summary>
    /// The shortest delay a check is scheduled with. A stage entered with a business date so old that
    /// it is already past due is still checked by a scheduled message, never run at once: requests with
    /// an Idempotency-Key commit after the handler, and an immediate local message would not see them.
    /// </summary>
    public static readonly TimeSpan MinimumDelay = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The check of a stage entered with a due date (none when the stage has no service time). The
    /// delay is measured on the injected clock (<c>now</c>): the same as the due instant in production,
    /// and, under a test's fake clock, far enough in real time never to fire during the test.
    /// </summary>
    public static OutgoingMessages For(Guid caseId, CaseStage stage, DateOnly? dueOn, DateTimeOffset now)
    {
        var messages = new OutgoingMessages();
        if (dueOn is { } day) messages.Add(Schedule(new CheckCaseDeadline(caseId, stage, day, ServiceTimes.OverdueFrom(day)), now));
        return messages;
    }

    private static DeliveryMessage<CheckCaseDeadline> Schedule(CheckCaseDeadline check, DateTimeOffset now)
    {
        var delay = check.DueAt - now;
        return check.DelayedFor(delay < MinimumDelay ? MinimumDelay : delay);
    }

    /// <summary>
    /// The decision of a check: <see cref="CaseBecameOverdue"/> when the case is still in the stage and
    /// its due instant has passed; nothing when the case moved on, is unknown, or is already overdue
    /// for that stage (a check delivered twice changes nothing). A check delivered early (clocks
    /// disagree) is scheduled again for the rest of the time.
    /// </summary>
    public static (IReadOnlyList<object> Events, OutgoingMessages Later) Decide(CheckCaseDeadline check, PolicyCase? policyCase,
        OwnershipTable ownership, DateTimeOffset now)
    {
        if (policyCase is null || policyCase.Stage != check.Stage || policyCase.OverdueStage == check.Stage
            || policyCase.DueOn != check.DueOn)
            return ([], []);

        if (now < check.DueAt)
        {
            var later = new OutgoingMessages();
            later.Add(Schedule(check, now));
            return ([], later);
        }

        return ([new CaseBecameOverdue(policyCase.Id, check.Stage, PolicyCaseRules.OwnersOf(policyCase.Policy, ownership).ToList(),
            check.DueOn, check.DueAt)], []);
    }
}

/// <summary>Handles <see cref="CheckCaseDeadline"/>: loads the case for writing and appends what <see cref="CaseDeadlines.Decide"/> decides.</summary>
public static class CheckCaseDeadlineHandler
{
    public static async Task<OutgoingMessages> Handle(CheckCaseDeadline message, IDocumentSession session, OwnershipTable ownership,
        DateTimeOffset now, CancellationToken token)
    {
        var stream = await session.Events.FetchForWriting<PolicyCase>(message.CaseId, token);
        var (events, later) = CaseDeadlines.Decide(message, stream.Aggregate, ownership, now);
        if (events.Count > 0) stream.AppendMany(events.ToArray());
        return later;
    }
}
