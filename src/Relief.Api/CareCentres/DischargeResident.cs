using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareCentres;

/// <summary>A resident leaves the centre (离开) on <c>DischargedOn</c>, for a reason (returned home, deceased …).</summary>
public sealed record DischargeResident(DateOnly? DischargedOn, [property: Required, MaxLength(200)] string? Reason) : IHasExample<DischargeResident>
{
    public static DischargeResident Example { get; } = new(new DateOnly(2020, 10, 1), "本人要求回家居住，由亲属照料。");
}

public static class DischargeResidentEndpoint
{
    public static async Task<(CentreStay?, DataProtector?, IReadOnlyList<CareAgreementDetails>)> LoadAsync(Guid stayId,
        IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var (stay, household) = await StayWithKey.LoadAsync(stayId, session, vault, token);
        return (stay, household,
            await session.Query<CareAgreementDetails>().Where(a => a.CentreStayId == stayId && a.EndedOn == null)
                .ToListAsync(token));
    }

    /// <summary>
    /// A centralised-care agreement rests on the admission: while one is in force, ending the
    /// agreement comes first, so that no household stays "covered" by a stay that is over.
    /// </summary>
    public static ProblemDetails Validate(DischargeResident command, CareCentre centre, Guid stayId, CentreStay? stay,
        IReadOnlyList<CareAgreementDetails> agreements, DateTimeOffset now)
    {
        if (agreements.Count > 0)
        {
            return Problems.Conflict(ProblemTypes.Conflict, "A centralised-care agreement rests on this stay.",
                $"End care agreement {agreements[0].Id} (POST /api/care-agreements/{agreements[0].Id}/end) before the discharge.");
        }

        var errors = new FieldErrors();
        CentreRules.RequirePastDate(errors, "dischargedOn", command.DischargedOn, now);
        errors.RequireText("reason", command.Reason, 200);
        if (errors.Any) return errors.ToProblem();

        return Problems.FirstOf(
            CentreRules.ActiveStay(centre, stay, stayId, StayKind.Admission)
            ?? CentreRules.NotBefore(centre.Stays[stayId], command.DischargedOn!.Value, "discharge"));
    }

    [WolverinePost("/api/care-centres/{centreId}/residents/{stayId}/discharge"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (StaySaved, Events) Post(DischargeResident command, [WriteModel("centreId")] CareCentre centre, Guid stayId,
        DataProtector? household) =>
        (new StaySaved(centre.Id, stayId),
            [new ResidentDischarged(centre.Id, stayId, command.DischargedOn!.Value,
                household!.SealText(SealedFields.Reason, command.Reason!.Trim()))]);
}
