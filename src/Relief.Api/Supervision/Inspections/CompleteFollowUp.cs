using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Relief.Api.Infrastructure.PersonalData;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.Supervision;

/// <summary>Follow-up <c>number</c> of an inspection was carried out on <c>CompletedOn</c>.</summary>
public sealed record CompleteFollowUp([property: JsonRequired] int Version, DateOnly? CompletedOn, [property: MaxLength(500)] string? Note) : IHasExample<CompleteFollowUp>
{
    public static CompleteFollowUp Example { get; } = new(2, new DateOnly(2020, 10, 1), "被褥已全部换洗，并建立每周换洗制度。");
}

/// <summary>What a change to an inspection answers.</summary>
public sealed record InspectionSaved(Guid InspectionId) : IStreamVersioned<InspectionSaved>, IHasExample<InspectionSaved>
{
    public static InspectionSaved Example { get; } = new(ExampleIds.Inspection) { Version = 2 };

    public int Version { get; init; }

    public InspectionSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(InspectionId) };
}

public static class CompleteFollowUpEndpoint
{
    /// <summary>The key the note is sealed under: that of the household (else the family) the inspection names; none otherwise.</summary>
    public static async Task<DataProtector?> LoadAsync(Guid inspectionId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        await session.LoadAsync<InspectionDetails>(inspectionId, token) is { } inspection
        && (inspection.HouseholdId ?? inspection.CaregiverFamilyId) is { } record
            ? await vault.ForHousehold(session, record, token)
            : null;

    public static ProblemDetails Validate(CompleteFollowUp command, Inspection inspection, int number, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        SupervisionRules.RequirePastDate(errors, "completedOn", command.CompletedOn, now);
        errors.OptionalText("note", command.Note, 500);
        if (errors.Any) return errors.ToProblem();

        return Problems.FirstOf(
            SupervisionRules.Access(inspection.Township, caller, "inspection"),
            InspectionRules.Completable(inspection, number, command.CompletedOn!.Value));
    }

    [WolverinePost("/api/inspections/{inspectionId}/follow-ups/{number}/completion"), Tags("Inspections")]
    [Authorize(Scopes.SupervisionWrite), Authorize(Owns.Inspections)]
    public static (InspectionSaved, Events) Post(CompleteFollowUp command, [WriteModel("inspectionId")] Inspection inspection, int number,
        DataProtector? record) =>
        (new InspectionSaved(inspection.Id),
            [new FollowUpCompleted(inspection.Id, number, command.CompletedOn!.Value,
                InspectedParties.Seal(record, SealedFields.Note, command.Note?.Trim()))]);
}
