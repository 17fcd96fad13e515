using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareCentres;

/// <summary>
/// Log one of the five-in-one services delivered to the person of an active stay (a resident or a
/// trial stay), on a day within the stay.
/// </summary>
public sealed record RecordCentreService([property: Required] CentreService? Service, DateOnly? DeliveredOn, [property: MaxLength(500)] string? Note) : IHasExample<RecordCentreService>
{
    public static RecordCentreService Example { get; } = new(CentreService.Rehabilitation, new DateOnly(2020, 10, 1), "康复训练 40 分钟。");
}

public static class RecordCentreServiceEndpoint
{
    public static async Task<(CentreStay?, DataProtector?)> LoadAsync(Guid stayId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var (stay, household) = await StayWithKey.LoadAsync(stayId, session, vault, token);
        return (stay, household);
    }

    public static ProblemDetails Validate(RecordCentreService command, CareCentre centre, Guid stayId, CentreStay? stay,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.Service is null) errors.Add("service", "is required.");
        CentreRules.RequirePastDate(errors, "deliveredOn", command.DeliveredOn, now);
        errors.OptionalText("note", command.Note, 500);
        if (errors.Any) return errors.ToProblem();

        var kind = centre.Stays.TryGetValue(stayId, out var bed) ? bed.Kind : StayKind.Admission;
        return Problems.FirstOf(
            CentreRules.ActiveStay(centre, stay, stayId, kind)
            ?? CentreRules.NotBefore(centre.Stays[stayId], command.DeliveredOn!.Value, "service"));
    }

    [WolverinePost("/api/care-centres/{centreId}/stays/{stayId}/services"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (StaySaved, Events) Post(RecordCentreService command, [WriteModel("centreId")] CareCentre centre, Guid stayId,
        DataProtector? household) =>
        (new StaySaved(centre.Id, stayId),
            [new CentreServiceDelivered(centre.Id, stayId, command.Service!.Value, command.DeliveredOn!.Value,
                household!.SealText(SealedFields.Note, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim()))]);
}
