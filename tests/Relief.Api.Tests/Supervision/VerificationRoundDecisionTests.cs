using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Needs;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Supervision;

namespace Relief.Api.Tests.Supervision;

/// <summary>The verification round's decisions, without a database or HTTP.</summary>
public sealed class VerificationRoundDecisionTests
{
    private static readonly DateOnly Day = new(2020, 9, 1);

    private static Measure Case(Guid id, ExtendedPolicy policy = ExtendedPolicy.FinancialLoan, DateOnly? granted = null, bool open = true) =>
        new(policy, MeasureKind.PolicyCase, id, Day, granted, open);

    [Fact]
    public void Families_with_a_live_measure_or_a_need_of_the_policy_are_due_and_others_not()
    {
        var (open, granted, rejected, otherPolicy, inNeed) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (openCase, grantedCase) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var measures = new[]
        {
            (open, Case(openCase)),
            (granted, Case(grantedCase, granted: Day, open: false)),
            (rejected, Case(Guid.CreateVersion7(), open: false)),
            (otherPolicy, Case(Guid.CreateVersion7(), ExtendedPolicy.MedicalAssistance)),
        }.ToLookup(m => m.Item1, m => m.Item2);

        var due = OpenVerificationRoundEndpoint.Due(ExtendedPolicy.FinancialLoan, [inNeed], measures, []);

        Assert.Equal(new[] { open, granted, inNeed }.Order(), due.Select(d => d.SubjectId).Order());
        Assert.Equal(openCase, due.Single(d => d.SubjectId == open).CaseId);
        Assert.Null(due.Single(d => d.SubjectId == inNeed).CaseId);
    }

    [Fact]
    public void The_round_closes_with_its_figures()
    {
        var (a, b, c) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var round = VerificationRound.Create(new VerificationRoundOpened(Guid.CreateVersion7(), "mucheng", ExtendedPolicy.FinancialLoan, Department.Bank, Day,
            [new(a, RoundSubjectKind.CaregiverFamily, null), new(b, RoundSubjectKind.CaregiverFamily, null), new(c, RoundSubjectKind.Household, null)]));
        round.Apply(new VerificationChecked(round.Id, a, VerificationOutcome.Confirmed, Day, null));
        round.Apply(new VerificationChecked(round.Id, b, VerificationOutcome.Changed, Day, null));

        var closed = CloseVerificationRoundEndpoint.Decide(new CloseVerificationRound(3, Day.AddDays(5)), round);

        Assert.Equal((3, 1, 1, 1), (closed.Due, closed.Confirmed, closed.Changed, closed.Unchecked));
    }
}
