using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>
/// Correct or update a household's own facts: village, head's name, address, poverty cause (the
/// whole new state). The township does not change: a household that moves to another township
/// is closed there (MovedAway) and registered anew by the township it moved to.
/// </summary>
public sealed record ChangeHouseholdDetails(
    [property: JsonRequired] int Version, string? Village, string? HeadName, string? Address, PovertyCause? PovertyCause);

public static class ChangeHouseholdDetailsEndpoint
{
    public static ProblemDetails Validate(ChangeHouseholdDetails command, Household household, Caller caller)
    {
        var errors = new FieldErrors();
        errors.RequireText("village", command.Village, 50);
        errors.RequireText("headName", command.HeadName, MemberInput.MaxNameLength);
        errors.RequireText("address", command.Address, 200);
        if (command.PovertyCause is null) errors.Add("povertyCause", "is required.");
        return Problems.FirstOf(HouseholdRules.Access(household, caller), errors.ToProblem());
    }

    [WolverinePut("/api/households/{householdId}"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (HouseholdSaved, Events) Put(ChangeHouseholdDetails command, [WriteModel] Household household) =>
        (new HouseholdSaved(household.Id, household.Version + 1),
            [new HouseholdDetailsChanged(household.Id, command.Village!.Trim(), command.HeadName!.Trim(),
                command.Address!.Trim(), command.PovertyCause!.Value)]);
}
