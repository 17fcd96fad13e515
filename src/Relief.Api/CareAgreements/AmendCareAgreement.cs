using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareAgreements;

/// <summary>
/// New terms from <c>effectiveFrom</c>: the whole new terms (end, duties, subsidy, asset clauses);
/// the start of the agreement does not change. Earlier terms stay in its history.
/// </summary>
public sealed record AmendCareAgreement([property: JsonRequired] int Version, DateOnly? EffectiveFrom, [property: Required] CareTermsInput? Terms)
    : IHasExample<AmendCareAgreement>
{
    public static AmendCareAgreement Example { get; } = new(1, new DateOnly(2020, 10, 1),
        new CareTermsInput(new DateOnly(2020, 4, 1), new DateOnly(2021, 3, 31), ["daily visit", "meals", "laundry"], 350m, []));
}

public static class AmendCareAgreementEndpoint
{
    public static ProblemDetails Validate(AmendCareAgreement command, CareAgreement agreement, Caller caller)
    {
        var errors = new FieldErrors();
        if (command.EffectiveFrom is not { } from) errors.Add("effectiveFrom", "is required.");
        else if (from <= agreement.LastTermsFrom)
            errors.Add("effectiveFrom", $"must be after the current terms took effect ({agreement.LastTermsFrom:yyyy-MM-dd}).");
        else if (agreement.LastDay is { } last && from > last)
            errors.Add("effectiveFrom", $"must be within the agreement, which runs to {last:yyyy-MM-dd}.");

        if (command.Terms is null) errors.Add("terms", "is required.");
        else (command.Terms with { StartsOn = agreement.StartsOn }).Validate("terms.", errors);
        if (command.Terms?.EndsOn is { } endsOn && command.EffectiveFrom is { } effective && endsOn < effective)
            errors.Add("terms.endsOn", "must not be before effectiveFrom: an amendment cannot end care before it takes effect; end the agreement instead.");
        if (command.Terms?.StartsOn is { } startsOn && startsOn != agreement.StartsOn)
            errors.Add("terms.startsOn", "cannot change; an amendment takes effect from effectiveFrom.");

        return Problems.FirstOf(AgreementRules.Access(agreement, caller), AgreementRules.NotEnded(agreement), errors.ToProblem());
    }

    [WolverinePost("/api/care-agreements/{agreementId}/amendment"), Tags("Care agreements")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CareAgreements)]
    public static (AgreementSaved, Events) Post(AmendCareAgreement command, [WriteModel("agreementId")] CareAgreement agreement) =>
        (new AgreementSaved(agreement.Id),
            [new CareAgreementAmended(agreement.Id, agreement.HouseholdId, command.Terms!.ToTerms(agreement.StartsOn),
                command.EffectiveFrom!.Value)]);
}
