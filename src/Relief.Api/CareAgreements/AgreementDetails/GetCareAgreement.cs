using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.CareAgreements;

/// <summary>An agreement as the API shows it, with whether it gives care today (China time).</summary>
public sealed record CareAgreementResponse(
    Guid Id,
    int Version,
    Guid HouseholdId,
    string Township,
    CareMode Mode,
    CaregiverResponse Caregiver,
    Guid? CentreStayId,
    DateOnly SignedOn,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    DateOnly? EndedOn,
    string? EndReason,
    bool ActiveToday,
    CareTerms CurrentTerms,
    IReadOnlyList<TermsFrom> TermsHistory,
    IReadOnlyList<DateOnly> RenewedOn)
{
    public static CareAgreementResponse Of(CareAgreementDetails a, KeyChain keys, DateOnly today) => new(
        a.Id, a.Version, a.HouseholdId, a.Township, a.Mode, CaregiverResponse.Of(a.Caregiver, keys), a.CentreStayId, a.SignedOn, a.StartsOn,
        a.EndsOn, a.EndedOn, keys.ShowText(SealedFields.Reason, a.EndReason), new CarePeriod(a.StartsOn, a.LastDay).Covers(today), a.TermsOn(today),
        a.Terms, a.RenewedOn);
}

public static class GetCareAgreementEndpoint
{
    public static async Task<(CareAgreementDetails?, KeyChain)> LoadAsync(Guid agreementId, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var agreement = await session.LoadAsync<CareAgreementDetails>(agreementId, token);
        return (agreement, agreement is null ? KeyChain.Empty : await vault.Keys(session, [agreement.Caregiver.Name, agreement.EndReason], token));
    }

    public static ProblemDetails Validate(CareAgreementDetails? agreement, Guid agreementId, Caller caller) =>
        agreement is null ? AgreementRules.NotFound(agreementId)
        : TownshipScope.Access(agreement.Township, caller, "agreement") ?? WolverineContinue.NoProblems;

    /// <summary>One care agreement with the history of its terms.</summary>
    [WolverineGet("/api/care-agreements/{agreementId}"), Tags("Care agreements")]
    [Authorize(Scopes.HouseholdsRead)]
    public static CareAgreementResponse Get(Guid agreementId, CareAgreementDetails agreement, KeyChain keys, DateTimeOffset now) =>
        CareAgreementResponse.Of(agreement, keys, ChinaTime.Today(now));
}

public static class GetHouseholdCareAgreementsEndpoint
{
    public static Task<HouseholdDetails?> LoadAsync(Guid householdId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<HouseholdDetails>(householdId, token);

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller) =>
        HouseholdRules.Readable(household, householdId, caller) ?? WolverineContinue.NoProblems;

    /// <summary>Every care agreement of a household, oldest first.</summary>
    [WolverineGet("/api/households/{householdId}/care-agreements"), Tags("Care agreements")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<CareAgreementResponse>> Get(Guid householdId, HouseholdDetails household,
        IQuerySession session, PersonalDataVault vault, DateTimeOffset now, CancellationToken token)
    {
        var agreements = await session.Query<CareAgreementDetails>()
            .Where(a => a.HouseholdId == householdId).OrderBy(a => a.SignedOn).ToListAsync(token);
        var keys = await vault.Keys(session, agreements.SelectMany(a => new[] { a.Caregiver.Name, a.EndReason }), token);
        var today = ChinaTime.Today(now);
        return agreements.Select(a => CareAgreementResponse.Of(a, keys, today)).ToList();
    }
}
