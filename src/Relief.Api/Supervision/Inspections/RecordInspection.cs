using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Core.Protection;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Supervision;

/// <summary>
/// Record a supervision visit (监督检查) in a township, of a household and/or a caregiver family when
/// named (they must lie in that township), with its findings and follow-up actions.
/// </summary>
public sealed record RecordInspection(
    Guid? HouseholdId,
    Guid? CaregiverFamilyId,
    string? Township,
    [property: Required] Inspector? Inspector,
    DateOnly? InspectedOn,
    [property: Required, MaxLength(2000)] string? Findings,
    IReadOnlyList<FollowUpInput>? FollowUps) : IHasExample<RecordInspection>
{
    public static RecordInspection Example { get; } = new(null, null, "mucheng", Supervision.Inspector.Media, new DateOnly(2020, 9, 28), "院内卫生较差，被褥未及时换洗。", [new FollowUpInput("更换被褥，建立换洗制度", new DateOnly(2020, 10, 15), Department.CivilAffairs)]);
}

/// <summary>
/// What an inspection names, as far as it exists, and the key its findings are sealed under: the
/// household's when it names one, else the family's; null when it names neither (kept in clear).
/// </summary>
public sealed record InspectedParties(HouseholdDetails? Household, CaregiverFamilyDetails? Family, DataProtector? Record = null)
{
    /// <summary>Free text about the visit, sealed under <see cref="Record"/>, or in clear when the visit names no household or family.</summary>
    public static ProtectedValue? Seal(DataProtector? record, string field, string? text) =>
        text is null ? null : record is null ? ProtectedValue.InClear(text) : record.SealText(field, text);
}

public static class RecordInspectionEndpoint
{
    public static async Task<InspectedParties> LoadAsync(RecordInspection command, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        new(command.HouseholdId is { } h ? await session.LoadAsync<HouseholdDetails>(h, token) : null,
            command.CaregiverFamilyId is { } f ? await session.LoadAsync<CaregiverFamilyDetails>(f, token) : null,
            (command.HouseholdId ?? command.CaregiverFamilyId) is { } record ? await vault.ForHousehold(session, record, token) : null);

    public static ProblemDetails Validate(RecordInspection command, InspectedParties parties, TownshipDirectory townships,
        Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var township = SupervisionRules.RequireTownship(errors, command.Township, townships);
        if (command.Inspector is null) errors.Add("inspector", "is required.");
        SupervisionRules.RequirePastDate(errors, "inspectedOn", command.InspectedOn, now);
        errors.RequireText("findings", command.Findings, 2000);
        InspectionRules.ValidateFollowUps(errors, command.FollowUps, command.InspectedOn);
        if (errors.Any) return errors.ToProblem();

        if (SupervisionRules.Access(township!, caller, "inspection") is { } forbidden) return forbidden;
        if (command.HouseholdId is { } householdId)
        {
            if (parties.Household is null) return HouseholdRules.NotFound(householdId);
            if (parties.Household.Township != township) errors.Add("householdId", $"is a household of '{parties.Household.Township}', not '{township}'.");
        }

        if (command.CaregiverFamilyId is { } familyId)
        {
            if (parties.Family is not { Registered: true }) return CaregiverFamilyRules.NotFound(familyId);
            if (parties.Family.Township != township) errors.Add("caregiverFamilyId", $"is a family of '{parties.Family.Township}', not '{township}'.");
        }

        return errors.ToProblem();
    }

    [WolverinePost("/api/inspections"), Tags("Inspections")]
    [Authorize(Scopes.SupervisionWrite), Authorize(Owns.Inspections)]
    public static (Created, IStartStream) Post(RecordInspection command, InspectedParties parties, TownshipDirectory townships,
        DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var followUps = command.FollowUps!
            .Select((f, i) => new FollowUp(i + 1, f.Action!.Trim(), f.DueOn!.Value, f.Owner!.Value)).ToList();
        var recorded = new InspectionRecorded(id, command.HouseholdId, command.CaregiverFamilyId, townships.Find(command.Township)!.Code,
            command.Inspector!.Value, command.InspectedOn!.Value,
            InspectedParties.Seal(parties.Record, SealedFields.Findings, command.Findings!.Trim())!, followUps);
        return (new Created(id, $"/api/inspections/{id}"), MartenOps.StartStream<Inspection>(id, recorded));
    }
}
