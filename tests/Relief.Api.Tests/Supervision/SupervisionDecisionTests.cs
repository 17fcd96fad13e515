using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Supervision;
using Wolverine.Http;

namespace Relief.Api.Tests.Supervision;

/// <summary>The inspection and evaluation decisions, without a database or HTTP.</summary>
public sealed class SupervisionDecisionTests
{
    private static readonly DateTimeOffset Now = AppFixture.Start; // 2020-10-01 in China
    private static readonly Guid HouseholdId = Guid.CreateVersion7();

    private static readonly Caller Office = new("dev-poverty-office", Department.PovertyAlleviationOffice, null,
        new HashSet<string>(Scopes.All), null);

    private static bool Passes(ProblemDetails problem) => ReferenceEquals(problem, WolverineContinue.NoProblems);

    private static Inspection Inspected(params FollowUp[] followUps) =>
        Inspection.Create(new InspectionRecorded(Guid.CreateVersion7(), HouseholdId, null, "mucheng", Inspector.Society,
            new DateOnly(2020, 9, 15), Relief.Core.Protection.ProtectedValue.InClear("findings"), followUps));

    [Fact]
    public void A_follow_up_cannot_be_due_before_the_inspection()
    {
        var errors = new Relief.Api.Infrastructure.Errors.FieldErrors();

        InspectionRules.ValidateFollowUps(errors,
            [new FollowUpInput("换洗被褥", new DateOnly(2020, 9, 15), Department.CivilAffairs),
             new FollowUpInput("维修屋顶", new DateOnly(2020, 9, 14), Department.Township),
             new FollowUpInput(" ", null, null)],
            new DateOnly(2020, 9, 15));

        var problem = (ValidationProblemDetails)errors.ToProblem();
        Assert.Equal(["followUps[1].dueOn", "followUps[2].action", "followUps[2].dueOn", "followUps[2].owner"], problem.Errors.Keys.Order());
        Assert.Equal("must not be before the inspection (2020-09-15).", problem.Errors["followUps[1].dueOn"].Single());
    }

    [Fact]
    public void Follow_ups_are_numbered_in_the_order_given()
    {
        var command = new RecordInspection(null, null, "mucheng", Inspector.HelperUnit, new DateOnly(2020, 9, 15), "ok",
            [new FollowUpInput("a", new DateOnly(2020, 9, 20), Department.CivilAffairs), new FollowUpInput("b", new DateOnly(2020, 9, 30), Department.Township)]);
        var townships = new TownshipDirectory([new Township("mucheng", "木城街道")]);

        var (_, start) = RecordInspectionEndpoint.Post(command, new InspectedParties(null, null), townships, Now);

        var recorded = Assert.IsType<InspectionRecorded>(Assert.Single(start.Events));
        // A visit that names no household or family keeps its findings in clear.
        Assert.Equal(("ok", true), (recorded.Findings.Ciphertext, recorded.Findings.IsLegacyPlaintext));
        Assert.Equal([1, 2], recorded.FollowUps.Select(f => f.Number));
        Assert.Equal(Department.Township, recorded.FollowUps[1].Owner);
    }

    [Fact]
    public void An_open_follow_up_is_completed_once_and_not_before_the_inspection()
    {
        var inspection = Inspected(new FollowUp(1, "换洗被褥", new DateOnly(2020, 9, 30), Department.CivilAffairs));
        var done = Inspected(new FollowUp(1, "换洗被褥", new DateOnly(2020, 9, 30), Department.CivilAffairs));
        done.Apply(new FollowUpCompleted(done.Id, 1, new DateOnly(2020, 9, 20), null));

        Assert.True(Passes(InspectionRules.Completable(inspection, 1, new DateOnly(2020, 9, 20))));
        Assert.Equal(404, InspectionRules.Completable(inspection, 2, new DateOnly(2020, 9, 20)).Status);
        Assert.Equal(409, InspectionRules.Completable(done, 1, new DateOnly(2020, 9, 21)).Status);
        Assert.Equal(400, InspectionRules.Completable(inspection, 1, new DateOnly(2020, 9, 14)).Status);
    }

    [Theory]
    [InlineData(4, 4, 4, 4, 4, 4, "4.00")]
    [InlineData(3, 3, 3, 3, 3, 2, "2.83")]
    [InlineData(1, 2, 3, 4, 5, 5, "3.33")]
    [InlineData(5, 5, 5, 5, 5, 1, "4.33")]
    public void The_score_is_the_mean_of_the_six_items_to_two_decimals(int housing, int food, int hygiene, int health,
        int companionship, int mental, string expected)
    {
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), Rubric.Score(new QualityOfLife(housing, food, hygiene, health, companionship), mental));
    }

    [Fact]
    public void Only_a_score_below_the_threshold_warrants_a_warning()
    {
        Assert.True(Rubric.WarrantsWarning(2.99m, 3.0m));
        Assert.False(Rubric.WarrantsWarning(3.00m, 3.0m));
        Assert.False(Rubric.WarrantsWarning(3.5m, 3.0m));
    }

    private static CareAgreementDetails Agreement(string startsOn, string? endsOn = null, string? endedOn = null, Guid? familyId = null) => new()
    {
        Id = Guid.CreateVersion7(), HouseholdId = HouseholdId, Township = "mucheng", Mode = CareMode.KinshipCare,
        Caregiver = new Caregiver(CaregiverKind.Person, Relief.Core.Protection.ProtectedValue.LegacyPlaintext("王五"), familyId ?? Guid.CreateVersion7()),
        SignedOn = DateOnly.Parse(startsOn, CultureInfo.InvariantCulture), StartsOn = DateOnly.Parse(startsOn, CultureInfo.InvariantCulture),
        EndsOn = endsOn is null ? null : DateOnly.Parse(endsOn, CultureInfo.InvariantCulture), EndedOn = endedOn is null ? null : DateOnly.Parse(endedOn, CultureInfo.InvariantCulture),
    };

    private static EvaluationContext Context(params CareAgreementDetails[] agreements) =>
        new(new HouseholdDetails { Id = HouseholdId, Township = "mucheng" }, agreements);

    private static EvaluateHousehold Evaluation(int each, int mental, string? evaluatedOn = null) =>
        new("2020-Q3", null, null, evaluatedOn is null ? null : DateOnly.Parse(evaluatedOn, CultureInfo.InvariantCulture), "评比小组",
            new QualityOfLifeInput(each, each, each, each, each), mental, null);

    [Fact]
    public void A_low_score_warns_the_caregiver_of_every_agreement_active_on_the_evaluation_date()
    {
        var active = Agreement("2020-04-01", familyId: Guid.CreateVersion7());
        var ended = Agreement("2020-04-01", endedOn: "2020-09-29");
        var expired = Agreement("2019-04-01", endsOn: "2020-03-31");
        var later = Agreement("2020-10-02");
        var id = Guid.CreateVersion7();

        var events = EvaluateHouseholdEndpoint.Decide(id, Evaluation(3, 2), Context(active, ended, expired, later), 3.0m, Now);

        var evaluated = Assert.IsType<HouseholdEvaluated>(events[0]);
        Assert.Equal((2.83m, 3.0m, "2020-Q3", new DateOnly(2020, 7, 1), new DateOnly(2020, 9, 30), new DateOnly(2020, 10, 1)),
            (evaluated.Score, evaluated.Threshold, evaluated.Period, evaluated.From, evaluated.To, evaluated.EvaluatedOn));
        var warned = Assert.IsType<CaregiverWarned>(Assert.Single(events.Skip(1)));
        Assert.Equal((active.Id, "王五", active.Caregiver.CaregiverFamilyId), (warned.AgreementId, warned.CaregiverName?.Ciphertext, warned.CaregiverFamilyId));
    }

    [Fact]
    public void The_evaluation_date_chooses_the_agreements_warned()
    {
        var ended = Agreement("2020-04-01", endedOn: "2020-09-29");

        var events = EvaluateHouseholdEndpoint.Decide(Guid.CreateVersion7(), Evaluation(2, 2, "2020-09-29"), Context(ended), 3.0m, Now);

        Assert.Equal(ended.Id, Assert.IsType<CaregiverWarned>(events[1]).AgreementId);
    }

    [Fact]
    public void A_score_at_or_above_the_threshold_warns_nobody_and_the_threshold_is_configurable()
    {
        var active = Agreement("2020-04-01");

        Assert.Single(EvaluateHouseholdEndpoint.Decide(Guid.CreateVersion7(), Evaluation(3, 3), Context(active), 3.0m, Now));
        Assert.Equal(2, EvaluateHouseholdEndpoint.Decide(Guid.CreateVersion7(), Evaluation(3, 3), Context(active), 3.5m, Now).Count);
    }

    [Fact]
    public void The_threshold_is_read_from_configuration_with_a_default_of_three()
    {
        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Relief:Evaluations:WarningThreshold"] = "3.5" }).Build();
        var empty = new ConfigurationBuilder().Build();

        Assert.Equal(3.5m, Rubric.WarningThreshold(configured));
        Assert.Equal(3.0m, Rubric.WarningThreshold(empty));
    }

    [Theory]
    [InlineData("2020-Q3", "2020-07-01", "2020-09-30")]
    [InlineData("2020-Q1", "2020-01-01", "2020-03-31")]
    [InlineData("2020-02", "2020-02-01", "2020-02-29")]
    public void A_period_is_a_quarter_or_a_month(string period, string from, string to)
    {
        var resolved = (Evaluation(3, 3) with { Period = period }).ResolvePeriod();

        Assert.Equal((DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture)), (resolved!.Value.From, resolved.Value.To));
    }

    [Fact]
    public void Every_item_is_one_to_five_and_the_period_is_one_form_only()
    {
        var bad = new EvaluateHousehold("2020-Q5", null, null, null, "x", new QualityOfLifeInput(0, 6, 3, 3, null), 9, null);
        var both = Evaluation(3, 3) with { From = new DateOnly(2020, 7, 1), To = new DateOnly(2020, 9, 30) };

        var problem = (ValidationProblemDetails)EvaluateHouseholdEndpoint.Validate(bad, HouseholdId, Context(), Office, Now);
        var twice = (ValidationProblemDetails)EvaluateHouseholdEndpoint.Validate(both, HouseholdId, Context(), Office, Now);

        Assert.Equal(["mentalState", "period", "qualityOfLife.companionship", "qualityOfLife.food", "qualityOfLife.housing"],
            problem.Errors.Keys.Order());
        Assert.Equal(["period"], twice.Errors.Keys);
    }
}
