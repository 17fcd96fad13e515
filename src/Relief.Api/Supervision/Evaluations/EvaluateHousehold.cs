using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Globalization;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Supervision;

/// <summary>The quality-of-life items as the request gives them, each 1 to 5 (see <see cref="Rubric"/>).</summary>
public sealed record QualityOfLifeInput(int? Housing, int? Food, int? Hygiene, int? Health, int? Companionship);

/// <summary>
/// Evaluate a household (评比) for a period: either <c>Period</c> (<c>2020-Q3</c> or <c>2020-09</c>) or
/// <c>From</c> and <c>To</c>. <c>EvaluatedOn</c> defaults to today (China time) and selects the
/// caregivers a low score warns: those whose agreement with the household is active that day.
/// </summary>
public sealed partial record EvaluateHousehold(
    string? Period,
    DateOnly? From,
    DateOnly? To,
    DateOnly? EvaluatedOn,
    [property: Required, MaxLength(100)] string? Evaluator,
    QualityOfLifeInput? QualityOfLife,
    int? MentalState,
    [property: MaxLength(1000)] string? Note) : IHasExample<EvaluateHousehold>
{
    public static EvaluateHousehold Example { get; } = new("2020-Q3", null, null, new DateOnly(2020, 10, 1), "木城街道评比小组", new QualityOfLifeInput(4, 4, 3, 4, 5), 4, "院落整洁，老人心情好。");

    /// <summary>The period's label and days, or null when it is not given or not understood.</summary>
    public (string Label, DateOnly From, DateOnly To)? ResolvePeriod()
    {
        if (Period is not null)
        {
            var quarter = QuarterPattern().Match(Period.Trim());
            if (quarter.Success)
            {
                var year = int.Parse(quarter.Groups[1].Value, CultureInfo.InvariantCulture);
                var q = int.Parse(quarter.Groups[2].Value, CultureInfo.InvariantCulture);
                var from = new DateOnly(year, 3 * q - 2, 1);
                return ($"{year}-Q{q}", from, from.AddMonths(3).AddDays(-1));
            }

            if (DateOnly.TryParseExact(Period.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
                return ($"{month:yyyy-MM}", month, month.AddMonths(1).AddDays(-1));
            return null;
        }

        return From is { } f && To is { } t ? ($"{f:yyyy-MM-dd}/{t:yyyy-MM-dd}", f, t) : null;
    }

    [GeneratedRegex(@"^(\d{4})-Q([1-4])$")]
    private static partial Regex QuarterPattern();
}

/// <summary>
/// What an evaluation needs to know: the household, its care agreements, and the keys of the household
/// (it seals the note) and of the agreements' caregivers.
/// </summary>
public sealed record EvaluationContext(HouseholdDetails? Household, IReadOnlyList<CareAgreementDetails> Agreements, KeyChain? Keys = null)
{
    /// <summary>The agreements active on a day (see <see cref="CarePeriod"/>).</summary>
    public IEnumerable<CareAgreementDetails> ActiveOn(DateOnly day) =>
        Agreements.Where(a => new CarePeriod(a.StartsOn, a.LastDay).Covers(day)).OrderBy(a => a.SignedOn).ThenBy(a => a.Id);
}

public static class EvaluateHouseholdEndpoint
{
    public static async Task<EvaluationContext> LoadAsync(Guid householdId, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var batch = session.CreateBatchQuery();
        var household = batch.Load<HouseholdDetails>(householdId);
        var agreements = batch.Query<CareAgreementDetails>().Where(a => a.HouseholdId == householdId).ToList();
        await batch.Execute(token);
        var held = await agreements;
        return new(await household, held,
            await vault.Keys(session, [householdId], PersonalDataVault.KeysOf(held.Select(a => a.Caregiver.Name)).People, token));
    }

    public static ProblemDetails Validate(EvaluateHousehold command, Guid householdId, EvaluationContext context, Caller caller,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var today = ChinaTime.Today(now);
        if (command.Period is not null && (command.From is not null || command.To is not null))
            errors.Add("period", "is given either as period or as from and to, not both.");
        else if (command.Period is null && (command.From is null || command.To is null))
        {
            if (command.From is null) errors.Add(command.To is null ? "period" : "from", "is required.");
            if (command.From is not null) errors.Add("to", "is required.");
        }
        else if (command.ResolvePeriod() is not { } period)
            errors.Add("period", "is a quarter (2020-Q3) or a month (2020-09).");
        else if (period.To < period.From) errors.Add("to", "must not be before from.");
        else if (period.From > today) errors.Add(command.Period is null ? "from" : "period", "must not start in the future.");
        else if (command.EvaluatedOn is { } on && on < period.From)
            errors.Add("evaluatedOn", $"must not be before the period starts ({period.From:yyyy-MM-dd}).");

        if (command.EvaluatedOn > today) errors.Add("evaluatedOn", "must not be in the future.");
        errors.RequireText("evaluator", command.Evaluator, 100);
        if (command.QualityOfLife is not { } q) errors.Add("qualityOfLife", "is required.");
        else
        {
            Item(errors, "qualityOfLife.housing", q.Housing);
            Item(errors, "qualityOfLife.food", q.Food);
            Item(errors, "qualityOfLife.hygiene", q.Hygiene);
            Item(errors, "qualityOfLife.health", q.Health);
            Item(errors, "qualityOfLife.companionship", q.Companionship);
        }

        Item(errors, "mentalState", command.MentalState);
        errors.OptionalText("note", command.Note, 1000);
        if (errors.Any) return errors.ToProblem();

        return context.Household is null
            ? HouseholdRules.NotFound(householdId)
            : Problems.FirstOf(SupervisionRules.Access(context.Household.Township, caller, "household"));
    }

    private static void Item(FieldErrors errors, string field, int? score)
    {
        if (score is null) errors.Add(field, "is required.");
        else if (score is < Rubric.Lowest or > Rubric.Highest) errors.Add(field, $"is {Rubric.Lowest} to {Rubric.Highest} (see the rubric).");
    }

    /// <summary>
    /// The evaluation and, when its score is below <paramref name="threshold"/>, one warning per
    /// agreement of the household active on the evaluation date, naming its caregiver.
    /// </summary>
    public static IReadOnlyList<object> Decide(Guid evaluationId, EvaluateHousehold command, EvaluationContext context,
        decimal threshold, DateTimeOffset now)
    {
        var household = context.Household!;
        var period = command.ResolvePeriod()!.Value;
        var on = command.EvaluatedOn ?? ChinaTime.Today(now);
        var q = command.QualityOfLife!;
        var quality = new QualityOfLife(q.Housing!.Value, q.Food!.Value, q.Hygiene!.Value, q.Health!.Value, q.Companionship!.Value);
        var score = Rubric.Score(quality, command.MentalState!.Value);
        var events = new List<object>
        {
            new HouseholdEvaluated(evaluationId, household.Id, household.Township, period.Label, period.From, period.To, on,
                command.Evaluator!.Trim(), quality, command.MentalState!.Value, score, threshold,
                command.Note is null ? null : (context.Keys ?? KeyChain.Empty).Record(household.Id).SealText(SealedFields.Note, command.Note.Trim())),
        };
        if (Rubric.WarrantsWarning(score, threshold))
        {
            events.AddRange(context.ActiveOn(on).Select(a => new CaregiverWarned(evaluationId, household.Id, a.Id, a.Mode,
                (context.Keys ?? KeyChain.Empty).Reseal(a.Caregiver.Name, SealedFields.Name, SealedFields.CaregiverName),
                a.Caregiver.CaregiverFamilyId, score, threshold, on)));
        }

        return events;
    }

    [WolverinePost("/api/households/{householdId}/evaluations"), Tags("Evaluations")]
    [Authorize(Scopes.SupervisionWrite), Authorize(Owns.Evaluations)]
    public static (Created, IStartStream) Post(EvaluateHousehold command, Guid householdId, EvaluationContext context,
        IConfiguration configuration, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var events = Decide(id, command, context, Rubric.WarningThreshold(configuration), now);
        return (new Created(id, $"/api/evaluations/{id}"), MartenOps.StartStream<Evaluation>(id, events.ToArray()));
    }
}
