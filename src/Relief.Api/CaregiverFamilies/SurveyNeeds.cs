using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Relief.Api.ExtendedPolicies;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// Record the needs survey (需求排查) of a family: which of the eight extended policies it needs, as
/// found on <c>SurveyedOn</c>. An empty list says it needs none. The latest survey stands.
/// </summary>
public sealed record SurveyNeeds(
    [property: JsonRequired] int Version,
    DateOnly? SurveyedOn,
    [property: Required] IReadOnlyList<ExtendedPolicy>? Needs,
    [property: MaxLength(500)] string? Note) : IHasExample<SurveyNeeds>
{
    public static SurveyNeeds Example { get; } = new(2, new DateOnly(2020, 10, 1), [ExtendedPolicy.PublicWelfarePost, ExtendedPolicy.FamilyDoctor], "希望就近安排公益岗位。");
}

/// <summary>What a change to a caregiver family answers.</summary>
public sealed record CaregiverFamilySaved(Guid FamilyId) : IStreamVersioned<CaregiverFamilySaved>, IHasExample<CaregiverFamilySaved>
{
    public static CaregiverFamilySaved Example { get; } = new(ExampleIds.Family) { Version = 3 };

    public int Version { get; init; }

    public CaregiverFamilySaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(FamilyId) };
}

public static class SurveyNeedsEndpoint
{
    /// <summary>The family's key, which seals the note.</summary>
    public static Task<DataProtector> LoadAsync(Guid familyId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        vault.ForHousehold(session, familyId, token);

    /// <summary>A survey dated before the latest one recorded is a 409: the latest survey is the one that stands.</summary>
    public static ProblemDetails Validate(SurveyNeeds command, CaregiverFamily family, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        CaregiverFamilyRules.RequirePastDate(errors, "surveyedOn", command.SurveyedOn, now);
        if (command.Needs is null) errors.Add("needs", "is required (an empty list: the family needs none).");
        else if (command.Needs.Distinct().Count() != command.Needs.Count) errors.Add("needs", "names a policy twice.");
        errors.OptionalText("note", command.Note, 500);

        return CaregiverFamilyRules.First(
            CaregiverFamilyRules.Access(family, caller),
            errors.ToProblem(),
            family.LastSurveyedOn is { } last && command.SurveyedOn < last
                ? Problems.Conflict(ProblemTypes.Conflict, "A later survey is recorded.",
                    $"The family's latest survey is of {last:yyyy-MM-dd}; a survey of an earlier date cannot replace it.")
                : null);
    }

    [WolverinePut("/api/caregiver-families/{familyId}/needs"), Tags("Caregiver families")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.NeedsSurvey)]
    public static (CaregiverFamilySaved, Events) Put(SurveyNeeds command, [WriteModel("familyId")] CaregiverFamily family,
        DataProtector record) =>
        (new CaregiverFamilySaved(family.Id),
            [new NeedsSurveyed(family.Id, command.SurveyedOn!.Value, [.. command.Needs!.Order()],
                record.SealText(SealedFields.Note, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim()))]);
}
