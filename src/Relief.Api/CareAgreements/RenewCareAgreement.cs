using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareAgreements;

/// <summary>Renew an agreement to a later end, or make it open-ended (<c>endsOn</c> null).</summary>
public sealed record RenewCareAgreement([property: JsonRequired] int Version, DateOnly? EndsOn, [property: Required] DateOnly? RenewedOn)
    : IHasExample<RenewCareAgreement>
{
    public static RenewCareAgreement Example { get; } = new(1, new DateOnly(2022, 3, 31), new DateOnly(2021, 3, 15));
}

/// <summary>What a change to an agreement answers.</summary>
public sealed record AgreementSaved(Guid AgreementId) : IStreamVersioned<AgreementSaved>, IHasExample<AgreementSaved>
{
    public static AgreementSaved Example { get; } = new(ExampleIds.Agreement) { Version = 2 };

    public int Version { get; init; }

    public AgreementSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(AgreementId) };
}

public static class RenewCareAgreementEndpoint
{
    public static ProblemDetails Validate(RenewCareAgreement command, CareAgreement agreement, Caller caller)
    {
        var errors = new FieldErrors();
        if (command.RenewedOn is null) errors.Add("renewedOn", "is required.");
        if (agreement.EndsOn is null)
            errors.Add("endsOn", "The agreement is open-ended already; amend its terms instead.");
        else if (command.EndsOn is { } endsOn && endsOn <= agreement.EndsOn)
            errors.Add("endsOn", $"must be after the current end, {agreement.EndsOn:yyyy-MM-dd}.");
        return Problems.FirstOf(AgreementRules.Access(agreement, caller), AgreementRules.NotEnded(agreement), errors.ToProblem());
    }

    [WolverinePost("/api/care-agreements/{agreementId}/renewal"), Tags("Care agreements")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CareAgreements)]
    public static (AgreementSaved, Events) Post(RenewCareAgreement command, [WriteModel("agreementId")] CareAgreement agreement) =>
        (new AgreementSaved(agreement.Id),
            [new CareAgreementRenewed(agreement.Id, agreement.HouseholdId, command.EndsOn, command.RenewedOn!.Value)]);
}
