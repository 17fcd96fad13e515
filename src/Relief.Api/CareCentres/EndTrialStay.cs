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

/// <summary>End an active trial stay without an admission; <c>EndedOn</c> is its last day.</summary>
public sealed record EndTrialStay(DateOnly? EndedOn, [property: Required, MaxLength(200)] string? Reason) : IHasExample<EndTrialStay>
{
    public static EndTrialStay Example { get; } = new(new DateOnly(2020, 10, 1), "试住期满，本人暂不愿入住。");
}

public static class EndTrialStayEndpoint
{
    public static async Task<(CentreStay?, DataProtector?)> LoadAsync(Guid stayId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var (stay, household) = await StayWithKey.LoadAsync(stayId, session, vault, token);
        return (stay, household);
    }

    public static ProblemDetails Validate(EndTrialStay command, CareCentre centre, Guid stayId, CentreStay? stay, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CentreRules.RequirePastDate(errors, "endedOn", command.EndedOn, now);
        errors.RequireText("reason", command.Reason, 200);
        if (errors.Any) return errors.ToProblem();

        return Problems.FirstOf(
            CentreRules.ActiveStay(centre, stay, stayId, StayKind.Trial)
            ?? CentreRules.NotBefore(centre.Stays[stayId], command.EndedOn!.Value, "end"));
    }

    [WolverinePost("/api/care-centres/{centreId}/trial-stays/{stayId}/end"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (StaySaved, Events) Post(EndTrialStay command, [WriteModel("centreId")] CareCentre centre, Guid stayId,
        DataProtector? household) =>
        (new StaySaved(centre.Id, stayId),
            [new TrialStayEnded(centre.Id, stayId, command.EndedOn!.Value,
                household!.SealText(SealedFields.Reason, command.Reason!.Trim()))]);
}
