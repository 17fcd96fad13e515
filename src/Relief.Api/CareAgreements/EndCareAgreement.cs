using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareAgreements;

/// <summary>End an agreement: <c>endedOn</c> is the last day of care.</summary>
public sealed record EndCareAgreement([property: JsonRequired] int Version, [property: Required] DateOnly? EndedOn, [property: Required, MaxLength(200)] string? Reason)
    : IHasExample<EndCareAgreement>
{
    public static EndCareAgreement Example { get; } = new(1, new DateOnly(2020, 12, 31), "The caregiver moved away.");
}

public static class EndCareAgreementEndpoint
{
    /// <summary>The key of the agreement's household, which seals the reason.</summary>
    public static Task<DataProtector> LoadAsync(CareAgreement agreement, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        vault.ForHousehold(session, agreement.HouseholdId, token);

    public static ProblemDetails Validate(EndCareAgreement command, CareAgreement agreement, Caller caller)
    {
        var errors = new FieldErrors();
        errors.RequireText("reason", command.Reason, 200);
        if (command.EndedOn is null) errors.Add("endedOn", "is required.");
        else if (command.EndedOn < agreement.StartsOn)
            errors.Add("endedOn", $"must not be before the agreement started ({agreement.StartsOn:yyyy-MM-dd}).");
        return Problems.FirstOf(AgreementRules.Access(agreement, caller), AgreementRules.NotEnded(agreement), errors.ToProblem());
    }

    [WolverinePost("/api/care-agreements/{agreementId}/end"), Tags("Care agreements")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CareAgreements)]
    public static (AgreementSaved, Events) Post(EndCareAgreement command, [WriteModel("agreementId")] CareAgreement agreement,
        DataProtector household) =>
        (new AgreementSaved(agreement.Id),
            [new CareAgreementEnded(agreement.Id, agreement.HouseholdId, command.EndedOn!.Value,
                household.SealText(SealedFields.Reason, command.Reason!.Trim()))]);
}
