using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Supervision;

/// <summary>
/// Record a household's happiness survey (幸福指数) taken on <c>SurveyedOn</c> by <c>Surveyor</c>: quality of
/// life, spirit and satisfaction, each 1 to 5 (see <see cref="HappinessScale"/>), and an optional note.
/// </summary>
public sealed record SurveyHappiness(
    DateOnly? SurveyedOn,
    [property: Required, MaxLength(100)] string? Surveyor,
    int? QualityOfLife,
    int? Spirit,
    int? Satisfaction,
    [property: MaxLength(1000)] string? Note) : IHasExample<SurveyHappiness>
{
    public static SurveyHappiness Example { get; } = new(new DateOnly(2020, 10, 1), "木城街道民政所", 4, 5, 4, "老人对照料很满意。");
}

public static class SurveyHappinessEndpoint
{
    /// <summary>The household, and its key (it seals the note).</summary>
    public static async Task<(HouseholdDetails?, DataProtector)> LoadAsync(Guid householdId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token) =>
        (await session.LoadAsync<HouseholdDetails>(householdId, token), await vault.ForHousehold(session, householdId, token));

    /// <summary>Answers 1 to 5 and a past date (400); the household must exist (404) and be the caller's township's (403); a closed household's
    /// route is refused 409 before (<see cref="HouseholdRules.Stream"/>).</summary>
    public static ProblemDetails Validate(SurveyHappiness command, Guid householdId, HouseholdDetails? household, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        SupervisionRules.RequirePastDate(errors, "surveyedOn", command.SurveyedOn, now);
        errors.RequireText("surveyor", command.Surveyor, 100);
        Answer(errors, "qualityOfLife", command.QualityOfLife);
        Answer(errors, "spirit", command.Spirit);
        Answer(errors, "satisfaction", command.Satisfaction);
        errors.OptionalText("note", command.Note, 1000);
        if (errors.Any) return errors.ToProblem();
        if (household is null) return HouseholdRules.NotFound(householdId);
        return Problems.FirstOf(SupervisionRules.Access(household.Township, caller, "household"));
    }

    private static void Answer(FieldErrors errors, string field, int? answer)
    {
        if (answer is null) errors.Add(field, "is required.");
        else if (answer is < HappinessScale.Lowest or > HappinessScale.Highest)
            errors.Add(field, $"is {HappinessScale.Lowest} to {HappinessScale.Highest} (see the scale).");
    }

    /// <summary>The survey, with its index by the scale.</summary>
    public static HappinessSurveyed Decide(Guid surveyId, SurveyHappiness command, HouseholdDetails household, DataProtector record) =>
        new(surveyId, household.Id, household.Township, command.SurveyedOn!.Value, command.Surveyor!.Trim(), command.QualityOfLife!.Value,
            command.Spirit!.Value, command.Satisfaction!.Value,
            HappinessScale.Index(command.QualityOfLife!.Value, command.Spirit!.Value, command.Satisfaction!.Value),
            record.SealText(SealedFields.Note, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim()));

    [WolverinePost("/api/households/{householdId}/happiness-surveys"), Tags("Happiness index")]
    [Authorize(Scopes.SupervisionWrite), Authorize(Owns.HappinessSurveys)]
    public static (Created, IStartStream) Post(SurveyHappiness command, HouseholdDetails household, DataProtector record, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        return (new Created(id, $"/api/happiness-surveys/{id}"), MartenOps.StartStream<HappinessSurvey>(id, Decide(id, command, household, record)));
    }
}
