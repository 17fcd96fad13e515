using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Marten;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareCentres;

/// <summary>
/// Admit a household member to the centre (入住) on <c>AdmittedOn</c>. No <c>Version</c>: the
/// caller decides about a person, not about the centre's state; the centre's stream is still
/// checked at commit against the version this request read, so two admissions racing for the
/// last bed cannot both succeed (the loser gets 409 <c>concurrency-conflict</c> and may retry).
/// The admission rule in force on <c>AdmittedOn</c> must admit the member (<see cref="AdmissionRules"/>:
/// by default a severe disability, grade 1–2), or the request carries an <c>Exception</c> with its reason.
/// </summary>
public sealed record AdmitResident([property: Required] Guid? HouseholdId, [property: Required] Guid? MemberId, DateOnly? AdmittedOn, AdmissionExceptionInput? Exception = null) : IHasExample<AdmitResident>
{
    public static AdmitResident Example { get; } = new(ExampleIds.Household, ExampleIds.Member, new DateOnly(2020, 10, 1));
}

/// <summary>What a change to a stay answers: the stay and the centre's new version.</summary>
public sealed record StaySaved(Guid CentreId, Guid StayId) : IStreamVersioned<StaySaved>, IHasExample<StaySaved>
{
    public static StaySaved Example { get; } = new(ExampleIds.Centre, ExampleIds.Stay) { Version = 4 };

    public int Version { get; init; }

    public StaySaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(CentreId) };
}

public static class AdmitResidentEndpoint
{
    public static Task<StayCandidate> LoadAsync(AdmitResident command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        StayCandidate.LoadAsync(command.HouseholdId, command.MemberId, session, vault, token);

    public static ProblemDetails Validate(AdmitResident command, CareCentre centre, StayCandidate candidate, Caller caller,
        OwnershipTable ownership, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.HouseholdId is null) errors.Add("householdId", "is required.");
        if (command.MemberId is null) errors.Add("memberId", "is required.");
        CentreRules.RequirePastDate(errors, "admittedOn", command.AdmittedOn, now);
        if (command.AdmittedOn < centre.OpenedOn) errors.Add("admittedOn", $"is before the centre opened ({centre.OpenedOn:yyyy-MM-dd}).");
        CentreRules.ValidateException(errors, command.Exception);
        if (errors.Any) return errors.ToProblem();

        return Problems.FirstOf(
            CentreRules.Eligible(candidate, command.HouseholdId!.Value, command.MemberId!.Value, caller),
            CentreRules.Admissible(candidate, StayKind.Admission, command.AdmittedOn!.Value, command.Exception, caller, ownership),
            CentreRules.FreeBed(centre));
    }

    [WolverinePost("/api/care-centres/{centreId}/admissions"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (StaySaved, Events) Post(AdmitResident command,
        [WriteModel("centreId", AlwaysEnforceConsistency = true)] CareCentre centre, StayCandidate candidate, Caller caller,
        DateTimeOffset now)
    {
        var stayId = Guid.CreateVersion7(now);
        var member = candidate.Person!;
        var (householdId, memberId, admittedOn) = (command.HouseholdId!.Value, command.MemberId!.Value, command.AdmittedOn!.Value);
        Events events = [new ResidentAdmitted(centre.Id, stayId, householdId, memberId, admittedOn, member.DisabilityType)];
        if (CentreRules.Granted(command.Exception, centre.Id, stayId, householdId, memberId, StayKind.Admission, admittedOn, caller,
                candidate.Record!)
            is { } exception)
            events.Add(exception);
        return (new StaySaved(centre.Id, stayId), events);
    }
}
