using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Households;

/// <summary>Set a household's monitoring status (防返贫监测) from a date.</summary>
public sealed record ChangeMonitoringStatus([property: JsonRequired] int Version, [property: Required] MonitoringStatus? Status, [property: Required] DateOnly? Since, [property: MaxLength(500)] string? Note) : IHasExample<ChangeMonitoringStatus>
{
    public static ChangeMonitoringStatus Example { get; } = new(3, MonitoringStatus.Monitored, new DateOnly(2020, 10, 1), "老人住院，医疗支出大，纳入监测。");
}

public static class ChangeMonitoringStatusEndpoint
{
    /// <summary>The household's key, which seals the note (an erased one once forgotten).</summary>
    public static Task<DataProtector> LoadAsync(Guid householdId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        vault.ForHousehold(session, householdId, token);

    public static ProblemDetails Validate(ChangeMonitoringStatus command, Household household, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.Status is null) errors.Add("status", "is required.");
        else if (command.Status == household.Monitoring) errors.Add("status", $"is {household.Monitoring} already.");
        if (command.Since is null) errors.Add("since", "is required.");
        else if (command.Since > ChinaTime.Today(now)) errors.Add("since", "must not be in the future.");
        errors.OptionalText("note", command.Note, 500);
        return Problems.FirstOf(HouseholdRules.Access(household, caller), errors.ToProblem());
    }

    [WolverinePut("/api/households/{householdId}/monitoring"), Tags("Households")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    public static (HouseholdSaved, Events) Put(ChangeMonitoringStatus command, [WriteModel] Household household,
        DataProtector record) =>
        (new HouseholdSaved(household.Id),
            [new HouseholdMonitoringChanged(household.Id, command.Status!.Value, command.Since!.Value,
                record.SealText(SealedFields.Note, command.Note?.Trim()))]);
}
