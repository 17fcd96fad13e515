using System.Globalization;
using JasperFx.Events;
using Marten;
using Marten.Events.Archiving;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Supervision;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Dispatch.Report;

/// <summary>
/// For auditors: the weekly dispatch report of a week as it stood at an instant — counted from the
/// events Relief had recorded by then (archived ones included), in memory, by the same projection
/// code. Unlike the meeting's report this reads the events (it is recomputed, not stored), so it
/// costs a pass over the history up to the instant; having no stored pages, it carries its lists'
/// items (<c>overdueCases.items</c>, <c>householdsWithoutAgreement.items</c>) instead of links. Being
/// that costly, it is one of the county's expensive reads, of which a few run at once (429 otherwise).
/// </summary>
public static class GetWeeklyDispatchAsKnownEndpoint
{
    public static ProblemDetails Validate(string week, string? asKnownAt, Caller caller, ExpensiveReads expensiveReads,
        HttpContext context)
    {
        if (!caller.Has(Scopes.AuditRead)) return Problems.Forbidden($"A report as known at an instant needs the scope {Scopes.AuditRead}.");
        var errors = new FieldErrors();
        if (!IsoWeek.TryParse(week, out _)) errors.Add("week", "must be an ISO week such as 2020-W40.");
        if (asKnownAt is null) errors.Add("asKnownAt", "is required: an instant such as 2020-10-05T00:00:00+08:00.");
        else if (!DateTimeOffset.TryParse(asKnownAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            errors.Add("asKnownAt", "must be an instant such as 2020-10-05T00:00:00+08:00.");
        return errors.Any ? errors.ToProblem() : expensiveReads.Enter(context);
    }

    /// <summary>The report of an ISO week as Relief knew it at <c>asKnownAt</c> (events recorded up to that instant).</summary>
    [WolverineGet("/api/audit/weekly-dispatch/{week}"), Tags("Weekly dispatch")]
    [Authorize]
    public static async Task<Results<Ok<WeeklyDispatchReport>, ProblemHttpResult>> Get(string week, [Query(Required = true)] string? asKnownAt, Caller caller, TownshipDirectory townships,
        OwnershipTable ownership, IQuerySession session, PersonalDataVault vault, IConfiguration configuration, CancellationToken token)
    {
        var instant = DateTimeOffset.Parse(asKnownAt!, CultureInfo.InvariantCulture).ToUniversalTime();
        var memory = new MemoryDispatchStore(session);
        var schedule = EvaluationSchedule.From(configuration);
        var batch = new List<IEvent>(1000);
        var events = session.Events.QueryAllRawEvents()
            .Where(e => e.MaybeArchived() && e.Timestamp <= instant)
            .OrderBy(e => e.Sequence)
            .ToAsyncEnumerable(token);
        await foreach (var e in events)
        {
            batch.Add(e);
            if (batch.Count < 1000) continue;
            await WeeklyDispatchProjection.CountAsync(memory, batch, schedule, token);
            batch.Clear();
        }

        if (batch.Count > 0) await WeeklyDispatchProjection.CountAsync(memory, batch, schedule, token);
        var doc = memory.Week(IsoWeek.Parse(week).ToString());
        // Known only once the history is counted: a week nothing had been dated in (or later) by then is
        // the one answer this route cannot give in Validate.
        if (doc is null)
            return TypedResults.Problem(Problems.NotFound("No report for this week as known then",
                $"At {instant:O} Relief had recorded nothing dated in {week} or later."));
        return TypedResults.Ok(WeeklyDispatchReport.WithItems(doc, townships, ownership, caller.Township,
            await DispatchLabels.ResolveAsync(memory.Listed(doc, DispatchList.OverdueCase), caller.Has(Scopes.PiiRead), session, vault, token),
            await DispatchLabels.ResolveAsync(memory.Listed(doc, DispatchList.HouseholdWithoutAgreement), caller.Has(Scopes.PiiRead), session, vault,
                token)));
    }
}
