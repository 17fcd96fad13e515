using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>The first member of a department to decide on a case (a bank) holds it; another member may not move it.</summary>
public sealed class CaseHandlerTests
{
    private static readonly Guid CaseId = Guid.CreateVersion7();
    private static readonly DateOnly Monday = new(2020, 9, 28);

    private static Caller Bank(string? organisation) =>
        new("x", Department.Bank, null, new HashSet<string> { Scopes.PoliciesWrite }, null, organisation);

    private static PolicyCase LoanIntent() =>
        PolicyCase.Create(new PolicyCaseOpened(CaseId, ExtendedPolicy.FinancialLoan, Guid.NewGuid(), null, "mucheng", CaseStage.Applied,
            Monday, Department.PovertyAlleviationOffice, null, null));

    [Fact]
    public void The_bank_that_decided_holds_the_case_and_another_bank_is_refused()
    {
        var loan = LoanIntent();
        loan.Apply(new LoanFoundEligible(CaseId, Monday, Department.Bank, null, "bank-a"));

        Assert.Equal(new CaseHandler(Department.Bank, "bank-a"), loan.HandledBy);
        Assert.Null(PolicyCaseRules.MayHandle(loan, Bank("bank-a")));
        Assert.Equal(403, PolicyCaseRules.MayHandle(loan, Bank("bank-b"))?.Status);
        Assert.Null(PolicyCaseRules.MayHandle(loan,
            new Caller("office", Department.PovertyAlleviationOffice, null, new HashSet<string>(), null)));
    }

    [Fact]
    public void A_decision_without_an_organisation_leaves_the_case_to_the_first_bank_that_names_itself()
    {
        var loan = LoanIntent();
        loan.Apply(new LoanFoundEligible(CaseId, Monday, Department.PovertyAlleviationOffice, null));
        Assert.Null(loan.HandledBy);

        loan.Apply(new VerificationStarted(CaseId, Monday, Department.Bank, null, "bank-b"));
        loan.Apply(new PolicyGranted(CaseId, Monday, Department.Bank, new GrantFacts(null, null, null, null), "bank-a"));

        Assert.Equal(new CaseHandler(Department.Bank, "bank-b"), loan.HandledBy);
    }
}
