using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareCentres;

/// <summary>
/// Start a free trial stay (试住) from <c>From</c> until <c>Until</c> (inclusive), at most
/// <see cref="CentreRules.MaxTrialDays"/> days (30 unless configured). It holds a bed until it is
/// converted into an admission or ended, even past <c>Until</c>. No <c>Version</c>, as for admissions.
/// The admission rule in force on <c>From</c> must give the member a trial stay (<see cref="AdmissionRules"/>:
/// by default partial or full dependency, or grade 1–2), or the request carries an <c>Exception</c>.
/// </summary>
public sealed record StartTrialStay([property: Required] Guid? HouseholdId, [property: Required] Guid? MemberId, DateOnly? From, [property: Required] DateOnly? Until,
    AdmissionExceptionInput? Exception = null) : IHasExample<StartTrialStay>
{
    public static StartTrialStay Example { get; } = new(ExampleIds.Household, ExampleIds.Member, new DateOnly(2020, 10, 1), new DateOnly(2020, 10, 15));
}

public static class StartTrialStayEndpoint
{
    public static Task<StayCandidate> LoadAsync(StartTrialStay command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        StayCandidate.LoadAsync(command.HouseholdId, command.MemberId, session, vault, token);

    public static ProblemDetails Validate(StartTrialStay command, CareCentre centre, StayCandidate candidate, Caller caller,
        OwnershipTable ownership, IConfiguration configuration, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.HouseholdId is null) errors.Add("householdId", "is required.");
        if (command.MemberId is null) errors.Add("memberId", "is required.");
        CentreRules.RequirePastDate(errors, "from", command.From, now);
        if (command.From < centre.OpenedOn) errors.Add("from", $"is before the centre opened ({centre.OpenedOn:yyyy-MM-dd}).");
        var maxDays = CentreRules.MaxTrialDays(configuration);
        if (command.Until is null) errors.Add("until", "is required.");
        else if (command.From is { } from && command.Until < from) errors.Add("until", "must not be before from.");
        else if (command.From is { } start && command.Until!.Value.DayNumber - start.DayNumber + 1 > maxDays)
            errors.Add("until", $"A trial stay lasts at most {maxDays} days.");
        CentreRules.ValidateException(errors, command.Exception);
        if (errors.Any) return errors.ToProblem();

        return Problems.FirstOf(
            CentreRules.Eligible(candidate, command.HouseholdId!.Value, command.MemberId!.Value, caller),
            CentreRules.Admissible(candidate, StayKind.Trial, command.From!.Value, command.Exception, caller, ownership),
            CentreRules.FreeBed(centre));
    }

    [WolverinePost("/api/care-centres/{centreId}/trial-stays"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (StaySaved, Events) Post(StartTrialStay command,
        [WriteModel("centreId", AlwaysEnforceConsistency = true)] CareCentre centre, StayCandidate candidate, Caller caller,
        DateTimeOffset now)
    {
        var stayId = Guid.CreateVersion7(now);
        var (householdId, memberId, from) = (command.HouseholdId!.Value, command.MemberId!.Value, command.From!.Value);
        Events events = [new TrialStayStarted(centre.Id, stayId, householdId, memberId, from, command.Until!.Value)];
        if (CentreRules.Granted(command.Exception, centre.Id, stayId, householdId, memberId, StayKind.Trial, from, caller,
                candidate.Record!) is { } exception)
            events.Add(exception);
        return (new StaySaved(centre.Id, stayId), events);
    }
}
