using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using System.Text.Json.Serialization;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>Close a household: it leaves the safety net (death, moved away, no longer eligible).</summary>
public sealed record CloseHousehold([property: JsonRequired] int Version, [property: Required] ClosureReason? Reason, [property: Required] DateOnly? ClosedOn, [property: MaxLength(500)] string? Note) : IHasExample<CloseHousehold>
{
    public static CloseHousehold Example { get; } = new(7, ClosureReason.Deceased, new DateOnly(2020, 10, 1), "户主于 2020 年 9 月 30 日去世，户内无其他成员。");
}

public static class CloseHouseholdEndpoint
{
    /// <summary>The household's key, which seals the note (an erased one once forgotten).</summary>
    public static Task<DataProtector> LoadAsync(Guid householdId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        vault.ForHousehold(session, householdId, token);

    public static ProblemDetails Validate(CloseHousehold command, Household household, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.Reason is null) errors.Add("reason", "is required.");
        if (command.ClosedOn is null) errors.Add("closedOn", "is required.");
        else if (command.ClosedOn > ChinaTime.Today(now)) errors.Add("closedOn", "must not be in the future.");
        errors.OptionalText("note", command.Note, 500);
        return Problems.FirstOf(HouseholdRules.Access(household, caller), errors.ToProblem());
    }

    /// <summary>
    /// Records the closure and archives the household's stream: its history stays readable for
    /// auditors; its resident IDs are free to be registered elsewhere; writes to it are refused.
    /// </summary>
    [WolverinePost("/api/households/{householdId}/closure"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (HouseholdSaved, Events, IMartenOp) Post(CloseHousehold command, [WriteModel] Household household,
        DataProtector record) =>
        (new HouseholdSaved(household.Id),
        [
            new HouseholdClosed(household.Id, command.Reason!.Value, command.ClosedOn!.Value,
                record.SealText(SealedFields.Note, command.Note?.Trim())),
            new Archived($"Household closed: {command.Reason}"),
        ], ResidentIndexOps.ForgetHousehold(household.Id));
}
