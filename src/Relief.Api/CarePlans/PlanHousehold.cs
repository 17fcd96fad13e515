using Marten;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CarePlans.PlanDetails;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.CarePlans;

/// <summary>
/// The household a plan is for, as a write to the plan needs it: its members, whether it is closed,
/// and its key (which seals the notes of visits and reviews; erased once forgotten).
/// </summary>
public sealed record PlanHousehold(HouseholdDetails? Household, DataProtector? Record)
{
    public static async Task<PlanHousehold> LoadAsync(Guid planId, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        if (await session.LoadAsync<CarePlanDetails>(planId, token) is not { } plan) return new PlanHousehold(null, null);
        var household = await session.LoadAsync<HouseholdDetails>(plan.HouseholdId, token);
        return new PlanHousehold(household, await vault.ForHousehold(session, plan.HouseholdId, token));
    }

    /// <summary>409 when the household left the safety net: its plan takes no more changes.</summary>
    public ProblemDetails? Open(CarePlan plan) =>
        Household?.Closure is not null ? HouseholdRules.Closed(plan.HouseholdId) : null;

    /// <summary>409 when a note is given and the household's key was forgotten: nothing can be sealed under it.</summary>
    public ProblemDetails? MaySeal(string? note) =>
        !string.IsNullOrWhiteSpace(note) && Record is { IsErased: true }
            ? Problems.Conflict(ProblemTypes.Conflict, "The household's personal data was erased.",
                "A note is sealed under the household's key, which was forgotten; send the request without a note.")
            : null;

    /// <summary>The note sealed under the household's key, or null when none was given.</summary>
    public ProtectedValue? Seal(string? note) =>
        string.IsNullOrWhiteSpace(note) ? null : Record!.Protect(SealedFields.Note, note.Trim());
}
