using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Supervision;

/// <summary>A household due an evaluation of the period, and where it stands (the evaluation that covers it, if any).</summary>
public sealed record ScheduledEvaluationLine(Guid HouseholdId, string Township, string Village, ScheduledStatus Status, Guid? EvaluationId,
    DateOnly? EvaluatedOn);

/// <summary>
/// One period of the evaluation schedule as it stands today: how many households are due an evaluation of it,
/// how many are evaluated, due (within the grace) and missing (past <c>dueBy</c>), and the households
/// (<c>items</c>, filtered by <c>status</c>; by default those not evaluated).
/// </summary>
public sealed record EvaluationScheduleResponse(
    string Period, DateOnly From, DateOnly To, DateOnly DueBy, string? Township, int Households, int Evaluated, int Due, int Missing,
    IReadOnlyList<ScheduledEvaluationLine> Items);

public static class GetEvaluationScheduleEndpoint
{
    public static ProblemDetails Validate(string? period, string? township, string? status, TownshipDirectory townships, Caller caller,
        IConfiguration configuration)
    {
        var errors = new FieldErrors();
        var schedule = EvaluationSchedule.From(configuration);
        if (period is not null && schedule.Parse(period) is null)
            errors.Add("period", $"is a period of the schedule: a {schedule.Cadence.ToString().ToLowerInvariant()} (2020-Q3 or 2020-09).");
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (status is not null && !Enum.TryParse<ScheduledStatus>(status, false, out _))
            errors.Add("status", $"is one of {string.Join(", ", Enum.GetNames<ScheduledStatus>())}.");
        return errors.Any ? errors.ToProblem() : TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>
    /// The evaluation schedule (定期评比) of a <c>period</c> (default: the latest that has ended): the households due an
    /// evaluation of it and where each stands today. <c>status=Missing</c> is the list of missing evaluations.
    /// </summary>
    [WolverineGet("/api/evaluations/schedule"), Tags("Evaluations")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<EvaluationScheduleResponse> Get(string? period, string? township, string? status, TownshipDirectory townships,
        Caller caller, IConfiguration configuration, IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var schedule = EvaluationSchedule.From(configuration);
        var today = ChinaTime.Today(now);
        var asked = period is not null ? schedule.Parse(period)!
            : schedule.EndedBy(today).FirstOrDefault() ?? schedule.PeriodOf(today);
        var code = TownshipScope.Of(township, caller, townships);

        var batch = session.CreateBatchQuery();
        var householdQuery = batch.Query<HouseholdDetails>();
        var evaluationQuery = batch.Query<EvaluationDetails>().Where(e => e.From == asked.From && e.To == asked.To);
        if (code is not null)
        {
            householdQuery = householdQuery.Where(h => h.Township == code);
            evaluationQuery = evaluationQuery.Where(e => e.Township == code);
        }

        var households = householdQuery.ToList();
        var evaluations = evaluationQuery.ToList();
        await batch.Execute(token);
        var covering = (await evaluations).GroupBy(e => e.HouseholdId)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.EvaluatedOn).ThenBy(e => e.Id).First());

        var lines = (await households)
            .Where(h => EvaluationSchedule.IsDue(ChinaTime.Today(h.RegisteredAt), h.Closure?.ClosedOn, asked))
            .Select(h =>
            {
                var evaluation = covering.GetValueOrDefault(h.Id);
                return new ScheduledEvaluationLine(h.Id, h.Township, h.Village, schedule.StatusOn(today, asked, evaluation?.EvaluatedOn),
                    evaluation?.Id, evaluation?.EvaluatedOn);
            })
            .OrderBy(l => l.Township, StringComparer.Ordinal).ThenBy(l => l.Village, StringComparer.Ordinal).ThenBy(l => l.HouseholdId)
            .ToList();
        ScheduledStatus? wanted = status is null ? null : Enum.Parse<ScheduledStatus>(status);
        return new EvaluationScheduleResponse(asked.Label, asked.From, asked.To, schedule.DueBy(asked), code, lines.Count,
            lines.Count(l => l.Status == ScheduledStatus.Evaluated), lines.Count(l => l.Status == ScheduledStatus.Due),
            lines.Count(l => l.Status == ScheduledStatus.Missing),
            lines.Where(l => wanted is null ? l.Status != ScheduledStatus.Evaluated : l.Status == wanted).ToList());
    }
}
