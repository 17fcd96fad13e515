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
/// Turn an active trial stay into an admission from <c>AdmittedOn</c>. The trial's bed becomes the
/// resident's, so no free bed is needed; the admission rule in force on <c>AdmittedOn</c> must admit the
/// member (a trial stay is no way around it), or the request carries an <c>Exception</c>. The admission is a new
/// stay (answered as <c>stayId</c>); the trial ends as <c>Converted</c>.
/// </summary>
public sealed record ConvertTrialStay(DateOnly? AdmittedOn, AdmissionExceptionInput? Exception = null) : IHasExample<ConvertTrialStay>
{
    public static ConvertTrialStay Example { get; } = new(new DateOnly(2020, 10, 1));
}

public static class ConvertTrialStayEndpoint
{
    public static async Task<(CentreStay?, StayCandidate)> LoadAsync(Guid stayId, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var stay = await session.LoadAsync<CentreStay>(stayId, token);
        return (stay, await StayCandidate.LoadAsync(stay?.HouseholdId, stay?.MemberId, session, vault, token));
    }

    public static ProblemDetails Validate(ConvertTrialStay command, CareCentre centre, Guid stayId, CentreStay? stay,
        StayCandidate candidate, Caller caller, OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CentreRules.RequirePastDate(errors, "admittedOn", command.AdmittedOn, now);
        CentreRules.ValidateException(errors, command.Exception);
        if (errors.Any) return errors.ToProblem();
        if (CentreRules.ActiveStay(centre, stay, stayId, StayKind.Trial) is { } inactive) return inactive;

        var trial = centre.Stays[stayId];
        return Problems.FirstOf(
            CentreRules.NotBefore(trial, command.AdmittedOn!.Value, "admission"),
            CentreRules.Eligible(candidate, trial.HouseholdId, trial.MemberId, caller, replacing: stayId),
            CentreRules.Admissible(candidate, StayKind.Admission, command.AdmittedOn!.Value, command.Exception, caller, ownership));
    }

    [WolverinePost("/api/care-centres/{centreId}/trial-stays/{stayId}/conversion"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (StaySaved, Events) Post(ConvertTrialStay command, [WriteModel("centreId")] CareCentre centre, Guid stayId,
        StayCandidate candidate, Caller caller, DateTimeOffset now)
    {
        var trial = centre.Stays[stayId];
        var admissionId = Guid.CreateVersion7(now);
        var admittedOn = command.AdmittedOn!.Value;
        Events events =
        [
            new TrialStayConverted(centre.Id, stayId, admissionId, admittedOn),
            new ResidentAdmitted(centre.Id, admissionId, trial.HouseholdId, trial.MemberId, admittedOn,
                candidate.Person!.DisabilityType),
        ];
        if (CentreRules.Granted(command.Exception, centre.Id, admissionId, trial.HouseholdId, trial.MemberId, StayKind.Admission,
                admittedOn, caller, candidate.Record!) is { } exception)
            events.Add(exception);
        return (new StaySaved(centre.Id, admissionId), events);
    }
}
