using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Needs;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>The rule of 逐人落实, without a database or HTTP.</summary>
public sealed class NeedFulfilmentDecisionTests
{
    private static readonly DateOnly Surveyed = new(2020, 9, 10);

    private static Measure Case(ExtendedPolicy policy, DateOnly opened, DateOnly? granted = null, bool open = true) =>
        new(policy, MeasureKind.PolicyCase, Guid.CreateVersion7(), opened, granted, granted is null && open);

    [Fact]
    public void A_need_with_nothing_done_is_open()
    {
        var state = NeedFulfilment.Follow(ExtendedPolicy.FinancialLoan, Surveyed, []);

        Assert.Equal((NeedStatus.Open, null), (state.Status, state.By));
    }

    [Fact]
    public void An_open_case_of_the_policy_puts_the_need_in_progress_and_one_of_another_policy_does_not()
    {
        var loan = Case(ExtendedPolicy.FinancialLoan, new DateOnly(2020, 9, 1));

        Assert.Equal((NeedStatus.InProgress, loan), (NeedFulfilment.Follow(ExtendedPolicy.FinancialLoan, Surveyed, [loan]) is var s ? (s.Status, s.By) : default));
        Assert.Equal(NeedStatus.Open, NeedFulfilment.Follow(ExtendedPolicy.MedicalAssistance, Surveyed, [loan]).Status);
    }

    [Fact]
    public void A_measure_delivered_on_or_after_the_survey_meets_the_need_and_one_delivered_before_does_not()
    {
        var before = Case(ExtendedPolicy.SocialAssistance, new DateOnly(2020, 8, 1), new DateOnly(2020, 9, 9));
        var onTheDay = Case(ExtendedPolicy.SocialAssistance, new DateOnly(2020, 9, 1), Surveyed);

        Assert.Equal(NeedStatus.Open, NeedFulfilment.Follow(ExtendedPolicy.SocialAssistance, Surveyed, [before]).Status);
        var met = NeedFulfilment.Follow(ExtendedPolicy.SocialAssistance, Surveyed, [before, onTheDay]);
        Assert.Equal((NeedStatus.Met, onTheDay), (met.Status, met.By));
    }

    [Fact]
    public void A_withdrawn_enrolment_meets_nothing()
    {
        var withdrawn = new Measure(ExtendedPolicy.TrainingAndEmployment, MeasureKind.Enrolment, Guid.CreateVersion7(), Surveyed, null, false);

        Assert.Equal(NeedStatus.Open, NeedFulfilment.Follow(ExtendedPolicy.TrainingAndEmployment, Surveyed, [withdrawn]).Status);
    }

    [Fact]
    public void A_need_is_unmet_from_its_survey_until_met_or_replaced_by_the_next_survey()
    {
        var granted = Case(ExtendedPolicy.FinancialLoan, new DateOnly(2020, 9, 12), new DateOnly(2020, 9, 20));
        SurveyedNeeds[] surveys =
        [
            new(Surveyed, [ExtendedPolicy.FinancialLoan, ExtendedPolicy.CharityAssistance]),
            new(new DateOnly(2020, 9, 30), [ExtendedPolicy.MedicalAssistance]),
        ];

        var spans = NeedFulfilment.UnmetSpans(surveys, [granted]);

        Assert.Equal(
        [
            (ExtendedPolicy.FinancialLoan, Surveyed, (DateOnly?)new DateOnly(2020, 9, 20)),
            (ExtendedPolicy.CharityAssistance, Surveyed, new DateOnly(2020, 9, 30)),
            (ExtendedPolicy.MedicalAssistance, new DateOnly(2020, 9, 30), null),
        ], spans.OrderBy(s => s.From).ThenBy(s => s.Until ?? DateOnly.MaxValue));
    }
}
