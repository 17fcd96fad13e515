using System.Globalization;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Deadlines;
using Relief.Api.Infrastructure.Security;
using Wolverine;
using Wolverine.Http;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>The policy-case decisions, given events and a command, without a database or HTTP.</summary>
public sealed class PolicyCaseDecisionTests
{
    private static readonly PersonalDataVault Vault = new(
        new MasterKeyRing(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1"),
        Enumerable.Repeat((byte)7, 32).ToArray());

    private static readonly DateTimeOffset Now = AppFixture.Start; // Thursday 2020-10-01 in China
    private static readonly DateOnly Monday = new(2020, 9, 28);

    private static readonly OwnershipTable Ownership = new(new Dictionary<string, Department[]>
    {
        ["public-welfare-post"] = [Department.HumanResourcesAndSocialSecurity, Department.PovertyAlleviationOffice],
        ["entrepreneurship"] = [Department.HumanResourcesAndSocialSecurity, Department.PovertyAlleviationOffice],
        ["financial-loan"] = [Department.Bank, Department.PovertyAlleviationOffice],
        ["medical-assistance"] = [Department.MedicalSecurity, Department.PovertyAlleviationOffice],
        ["social-assistance"] = [Department.CivilAffairs, Department.PovertyAlleviationOffice],
        ["charity-assistance"] = [Department.CharityFederation, Department.CivilAffairs, Department.PovertyAlleviationOffice],
    });

    private static readonly ServiceTimes Times = new(ServiceTimes.Defaults);

    private static Caller Key(Department department, string? township = null) =>
        new($"dev-{department}", department, township, new HashSet<string> { Scopes.PoliciesWrite }, null);

    private static readonly Caller Bank = Key(Department.Bank);
    private static readonly Caller Hrss = Key(Department.HumanResourcesAndSocialSecurity);

    private static readonly Guid CaseId = Guid.CreateVersion7(Now);

    /// <summary>A care agreement the family holds as caregiver, from <paramref name="startsOn"/> to <paramref name="lastDay"/>.</summary>
    private static CareAgreementDetails Agreement(CareMode mode, string startsOn = "2020-04-01", string? lastDay = null) => new()
    {
        Id = Guid.CreateVersion7(), Mode = mode, StartsOn = DateOnly.Parse(startsOn, CultureInfo.InvariantCulture),
        EndsOn = lastDay is null ? null : DateOnly.Parse(lastDay, CultureInfo.InvariantCulture),
    };

    /// <summary>Opening a case for the family, which holds a kinship agreement in force unless other agreements are given.</summary>
    private static CaseOpening Opening(CaregiverFamilyDetails? family, IReadOnlyList<CareAgreementDetails>? agreements = null,
        PolicyCaseDetails? openCase = null) =>
        new(family, null, agreements ?? [Agreement(CareMode.KinshipCare)], openCase);

    /// <summary>A case that went through the given stages from Applied, each a day apart.</summary>
    private static PolicyCase Case(ExtendedPolicy policy, params CaseStage[] stages)
    {
        var c = PolicyCase.Create(new PolicyCaseOpened(CaseId, policy, Guid.NewGuid(), null, "mucheng", CaseStage.Applied, Monday,
            Department.PovertyAlleviationOffice, null, Times.DueOn(CaseStage.Applied, Monday)));
        c.Version = 1;
        var day = Monday;
        foreach (var stage in stages)
        {
            day = day.AddDays(1);
            switch (stage)
            {
                case CaseStage.Eligible: c.Apply(new LoanFoundEligible(CaseId, day, Department.Bank, Times.DueOn(stage, day))); break;
                case CaseStage.Ineligible: c.Apply(new LoanFoundIneligible(CaseId, day, Department.Bank, ProtectedValue.LegacyPlaintext("征信不良"))); break;
                case CaseStage.UnderVerification: c.Apply(new VerificationStarted(CaseId, day, Department.Bank, Times.DueOn(stage, day))); break;
                case CaseStage.Granted: c.Apply(new PolicyGranted(CaseId, day, Department.Bank, new GrantFacts(null, null, null, null))); break;
                case CaseStage.Rejected: c.Apply(new PolicyCaseRejected(CaseId, day, Department.Bank, ProtectedValue.LegacyPlaintext("不符合"))); break;
                case CaseStage.Closed: c.Apply(new PolicyCaseClosed(CaseId, day, Department.Bank, ProtectedValue.LegacyPlaintext("撤回"))); break;
                default: throw new ArgumentException($"Unexpected stage {stage}.");
            }

            c.Version++;
        }

        return c;
    }

    private static PolicyCase At(ExtendedPolicy policy, CaseStage stage)
    {
        if (stage == CaseStage.NeedIdentified)
        {
            return PolicyCase.Create(new PolicyCaseOpened(CaseId, policy, Guid.NewGuid(), null, "mucheng", CaseStage.NeedIdentified,
                Monday, Department.Township, null, null));
        }

        var loan = policy == ExtendedPolicy.FinancialLoan;
        CaseStage[] path = stage switch
        {
            CaseStage.Applied => [],
            CaseStage.Eligible => [CaseStage.Eligible],
            CaseStage.Ineligible => [CaseStage.Ineligible],
            CaseStage.UnderVerification => loan ? [CaseStage.Eligible, stage] : [stage],
            CaseStage.Granted => loan ? [CaseStage.Eligible, CaseStage.UnderVerification, stage] : [CaseStage.UnderVerification, stage],
            CaseStage.Rejected => loan ? [CaseStage.Eligible, stage] : [stage],
            CaseStage.Closed => [stage],
            _ => throw new ArgumentException(stage.ToString()),
        };
        return Case(policy, path);
    }

    private static bool Refused(ProblemDetails? problem, int status) => problem is not null && problem.Status == status;

    [Fact]
    public void Working_days_skip_weekends_and_a_stage_is_overdue_from_the_next_midnight_in_China()
    {
        Assert.Equal(new DateOnly(2020, 10, 5), ServiceTimes.AddWorkingDays(Monday, 5)); // Mon + 5 = next Mon
        Assert.Equal(new DateOnly(2020, 10, 14), ServiceTimes.AddWorkingDays(new DateOnly(2020, 9, 30), 10));
        Assert.Equal(new DateOnly(2020, 10, 5), ServiceTimes.AddWorkingDays(new DateOnly(2020, 10, 3), 1)); // Saturday + 1
        Assert.Equal(new DateTimeOffset(2020, 10, 14, 16, 0, 0, TimeSpan.Zero), ServiceTimes.OverdueFrom(new DateOnly(2020, 10, 14)));
        Assert.Null(Times.DueOn(CaseStage.NeedIdentified, Monday));
        Assert.Equal(new DateOnly(2020, 10, 12), Times.DueOn(CaseStage.UnderVerification, Monday));
    }

    public static TheoryData<ExtendedPolicy, CaseStage> Stages()
    {
        var data = new TheoryData<ExtendedPolicy, CaseStage>();
        foreach (var policy in new[] { ExtendedPolicy.FinancialLoan, ExtendedPolicy.SocialAssistance })
        foreach (var stage in Enum.GetValues<CaseStage>())
        {
            if (policy != ExtendedPolicy.FinancialLoan && stage is CaseStage.Eligible or CaseStage.Ineligible) continue;
            data.Add(policy, stage);
        }

        return data;
    }

    [Theory, MemberData(nameof(Stages))]
    public void A_case_moves_only_forward_along_its_lifecycle_and_every_other_move_is_a_409(ExtendedPolicy policy, CaseStage from)
    {
        var loan = policy == ExtendedPolicy.FinancialLoan;
        HashSet<CaseStage> allowed = from switch
        {
            CaseStage.NeedIdentified => [CaseStage.Applied, CaseStage.Rejected, CaseStage.Closed],
            CaseStage.Applied => loan ? [CaseStage.Eligible, CaseStage.Ineligible, CaseStage.Closed]
                : [CaseStage.UnderVerification, CaseStage.Rejected, CaseStage.Closed],
            CaseStage.Eligible => [CaseStage.UnderVerification, CaseStage.Rejected, CaseStage.Closed],
            CaseStage.UnderVerification => [CaseStage.Granted, CaseStage.Rejected, CaseStage.Closed],
            CaseStage.Granted or CaseStage.Rejected or CaseStage.Ineligible => [CaseStage.Closed],
            _ => [],
        };
        var policyCase = At(policy, from);
        Assert.Equal(from, policyCase.Stage);
        foreach (var to in Enum.GetValues<CaseStage>())
        {
            var problem = PolicyCaseRules.MayMove(policyCase, to);
            if (allowed.Contains(to)) Assert.Null(problem);
            else Assert.True(Refused(problem, 409), $"{policy} {from} → {to} should be a 409.");
        }
    }

    [Fact]
    public void Only_the_owners_record_a_loan_decision_hrss_may_not_grant_a_loan_the_bank_may()
    {
        var underVerification = At(ExtendedPolicy.FinancialLoan, CaseStage.UnderVerification);
        var grant = new GrantPolicy(underVerification.Version, new DateOnly(2020, 10, 1), null, null,
            new LoanInput(50000m, "农商银行", 36), null);

        var refused = GrantPolicyEndpoint.Validate(grant, underVerification, Hrss, Ownership, Now);
        Assert.Equal(403, refused.Status);
        Assert.Contains("Bank, PovertyAlleviationOffice", refused.Detail);
        Assert.Same(WolverineContinue.NoProblems, GrantPolicyEndpoint.Validate(grant, underVerification, Bank, Ownership, Now));

        var verification = new StartVerification(2, new DateOnly(2020, 9, 30));
        Assert.Equal(403, StartVerificationEndpoint.Validate(verification, At(ExtendedPolicy.FinancialLoan, CaseStage.Eligible), Hrss,
            Ownership, Now).Status);
        Assert.Equal(403, DecideLoanEligibilityEndpoint.Validate(new DecideLoanEligibility(1, true, Monday, null),
            At(ExtendedPolicy.FinancialLoan, CaseStage.Applied), Key(Department.Township, "mucheng"), Ownership, Now).Status);
        Assert.Equal(403, RejectPolicyCaseEndpoint.Validate(new RejectPolicyCase(2, Monday.AddDays(2), "x"),
            At(ExtendedPolicy.SocialAssistance, CaseStage.UnderVerification), Bank, Ownership, Now).Status);
    }

    [Fact]
    public void A_case_is_opened_by_an_owner_the_poverty_office_or_a_township_of_its_own_township()
    {
        var open = new OpenPolicyCase(ExtendedPolicy.FinancialLoan, Guid.NewGuid(), null, CaseStage.Applied, Monday, null);
        var family = new CaregiverFamilyDetails { Id = open.CaregiverFamilyId!.Value, Registered = true, Township = "mucheng" };

        Assert.Same(WolverineContinue.NoProblems, OpenPolicyCaseEndpoint.Validate(open, Opening(family), Bank, Ownership, Now));
        Assert.Same(WolverineContinue.NoProblems,
            OpenPolicyCaseEndpoint.Validate(open, Opening(family), Key(Department.Township, "mucheng"), Ownership, Now));
        Assert.Equal(403, OpenPolicyCaseEndpoint.Validate(open, Opening(family), Key(Department.Township, "sanyang"), Ownership, Now).Status);
        Assert.Equal(403, OpenPolicyCaseEndpoint.Validate(open, Opening(family), Hrss, Ownership, Now).Status);
        Assert.Equal(404, OpenPolicyCaseEndpoint.Validate(open, Opening(null), Bank, Ownership, Now).Status);
        Assert.Equal(400, OpenPolicyCaseEndpoint.Validate(open with { Policy = ExtendedPolicy.FamilyDoctor }, Opening(family), Bank,
            Ownership, Now).Status);
        Assert.Equal(400, OpenPolicyCaseEndpoint.Validate(open with { HouseholdId = Guid.NewGuid() }, Opening(family), Bank, Ownership,
            Now).Status);
        Assert.Equal(400, OpenPolicyCaseEndpoint.Validate(open with { Stage = CaseStage.Granted }, Opening(family), Bank, Ownership, Now).Status);
        Assert.Equal(400, OpenPolicyCaseEndpoint.Validate(open with { OpenedOn = new DateOnly(2020, 10, 2) }, Opening(family), Bank,
            Ownership, Now).Status);
    }

    [Fact]
    public void A_case_opens_only_inside_the_eligibility_chain_once_per_policy_or_by_exception_with_the_exception_recorded()
    {
        var open = new OpenPolicyCase(ExtendedPolicy.FinancialLoan, Guid.NewGuid(), null, CaseStage.Applied, Monday, null);
        var family = new CaregiverFamilyDetails { Id = open.CaregiverFamilyId!.Value, Registered = true, Township = "mucheng" };
        var office = Key(Department.PovertyAlleviationOffice);
        var ownership = new OwnershipTable(new Dictionary<string, Department[]>
        {
            ["financial-loan"] = [Department.Bank, Department.PovertyAlleviationOffice],
            ["eligibility-exceptions"] = [Department.PovertyAlleviationOffice],
        });
        var openCase = new PolicyCaseDetails { Id = CaseId, Policy = ExtendedPolicy.FinancialLoan, Stage = CaseStage.Applied, Open = true };

        var outside = OpenPolicyCaseEndpoint.Validate(open, Opening(family, [Agreement(CareMode.CharityCare)]), Bank, ownership, Now);
        var twice = OpenPolicyCaseEndpoint.Validate(open, Opening(family, openCase: openCase), Bank, ownership, Now);
        var byException = open with { Exception = new EligibilityExceptionInput("特批") };

        Assert.Equal("urn:relief:problem:no-qualifying-agreement", outside.Type);
        Assert.Equal("urn:relief:problem:case-already-open", twice.Type);
        Assert.Same(WolverineContinue.NoProblems, OpenPolicyCaseEndpoint.Validate(byException, Opening(family, []), office, ownership, Now));
        Assert.Equal(403, OpenPolicyCaseEndpoint.Validate(byException, Opening(family, []), Bank, ownership, Now).Status);
        Assert.Equal(400, OpenPolicyCaseEndpoint.Validate(byException with { Exception = new EligibilityExceptionInput("") },
            Opening(family, []), office, ownership, Now).Status);
        var record = Vault.NewHousehold(family.Id, Now).Protector;
        var (created, stream, _) = OpenPolicyCaseEndpoint.Post(byException, Opening(family, []), record, office, Times, Now);
        Assert.Equal(2, stream.Events.Count);
        var granted = Assert.IsType<EligibilityExceptionGranted>(stream.Events[1]);
        Assert.Equal(new EligibilityExceptionGranted(created.Id, EligibilitySubject.PolicyCase, family.Id, "mucheng", Monday,
            Department.PovertyAlleviationOffice, granted.Reason), granted);
        Assert.Equal("特批", record.Reveal(Relief.Api.Infrastructure.PersonalData.SealedFields.Reason, granted.Reason));
    }

    [Fact]
    public void Opening_an_applied_case_starts_the_stage_and_schedules_its_deadline_check()
    {
        var open = new OpenPolicyCase(ExtendedPolicy.FinancialLoan, Guid.NewGuid(), null, CaseStage.Applied, Monday, " 想养牛 ");
        var family = new CaregiverFamilyDetails { Id = open.CaregiverFamilyId!.Value, Registered = true, Township = "mucheng" };

        var record = Vault.NewHousehold(family.Id, Now).Protector;

        var (created, stream, messages) = OpenPolicyCaseEndpoint.Post(open, Opening(family), record, Bank, Times, Now);

        var opened = Assert.IsType<PolicyCaseOpened>(Assert.Single(stream.Events));
        Assert.Equal(new PolicyCaseOpened(created.Id, ExtendedPolicy.FinancialLoan, family.Id, null, "mucheng", CaseStage.Applied, Monday,
            Department.Bank, opened.Note, new DateOnly(2020, 10, 5)), opened);
        Assert.Equal("想养牛", record.Reveal(SealedFields.Note, opened.Note)); // sealed under the family's key
        var scheduled = Assert.IsType<DeliveryMessage<CheckCaseDeadline>>(Assert.Single(messages));
        Assert.Equal(new CheckCaseDeadline(created.Id, CaseStage.Applied, new DateOnly(2020, 10, 5),
            new DateTimeOffset(2020, 10, 6, 0, 0, 0, TimeSpan.FromHours(8))), scheduled.Message);
        Assert.Equal(new DateTimeOffset(2020, 10, 6, 0, 0, 0, TimeSpan.FromHours(8)) - Now, scheduled.Options!.ScheduleDelay);
    }

    [Fact]
    public void A_stage_without_a_service_time_schedules_nothing_and_a_past_due_one_is_still_scheduled_not_run_at_once()
    {
        Assert.Empty(CaseDeadlines.For(CaseId, CaseStage.NeedIdentified, null, Now));
        var late = Assert.IsType<DeliveryMessage<CheckCaseDeadline>>(Assert.Single(CaseDeadlines.For(CaseId, CaseStage.Applied,
            new DateOnly(2020, 9, 1), Now)));
        Assert.Equal(CaseDeadlines.MinimumDelay, late.Options!.ScheduleDelay);
    }

    [Fact]
    public void A_case_still_in_its_stage_after_the_due_time_becomes_overdue_naming_the_owners()
    {
        var verifying = At(ExtendedPolicy.FinancialLoan, CaseStage.UnderVerification);
        var check = new CheckCaseDeadline(CaseId, CaseStage.UnderVerification, verifying.DueOn!.Value,
            ServiceTimes.OverdueFrom(verifying.DueOn.Value));

        var (events, later) = CaseDeadlines.Decide(check, verifying, Ownership, check.DueAt);

        Assert.Equal(new CaseBecameOverdue(CaseId, CaseStage.UnderVerification, [Department.Bank, Department.PovertyAlleviationOffice],
            check.DueOn, check.DueAt), Assert.Single(events), new OverdueComparer());
        Assert.Empty(later);
    }

    [Fact]
    public void No_overdue_when_the_case_moved_on_in_time_is_unknown_or_is_already_overdue()
    {
        var verifying = At(ExtendedPolicy.FinancialLoan, CaseStage.UnderVerification);
        var check = new CheckCaseDeadline(CaseId, CaseStage.UnderVerification, verifying.DueOn!.Value,
            ServiceTimes.OverdueFrom(verifying.DueOn.Value));
        var after = check.DueAt.AddDays(3);

        Assert.Empty(CaseDeadlines.Decide(check, At(ExtendedPolicy.FinancialLoan, CaseStage.Granted), Ownership, after).Events);
        Assert.Empty(CaseDeadlines.Decide(check, null, Ownership, after).Events);

        verifying.Apply(new CaseBecameOverdue(CaseId, CaseStage.UnderVerification, [Department.Bank], check.DueOn, check.DueAt));
        var (again, later) = CaseDeadlines.Decide(check, verifying, Ownership, after);
        Assert.Empty(again);
        Assert.Empty(later);
    }

    [Fact]
    public void A_check_delivered_before_its_time_raises_nothing_and_is_scheduled_again()
    {
        var verifying = At(ExtendedPolicy.FinancialLoan, CaseStage.UnderVerification);
        var check = new CheckCaseDeadline(CaseId, CaseStage.UnderVerification, verifying.DueOn!.Value,
            ServiceTimes.OverdueFrom(verifying.DueOn.Value));

        var (events, later) = CaseDeadlines.Decide(check, verifying, Ownership, check.DueAt.AddHours(-2));

        Assert.Empty(events);
        var again = Assert.IsType<DeliveryMessage<CheckCaseDeadline>>(Assert.Single(later));
        Assert.Equal(TimeSpan.FromHours(2), again.Options!.ScheduleDelay);
    }

    [Fact]
    public void A_grant_carries_the_facts_of_its_policy_and_no_other()
    {
        var post = At(ExtendedPolicy.PublicWelfarePost, CaseStage.UnderVerification);
        var loanFacts = new GrantPolicy(post.Version, new DateOnly(2020, 10, 1), null, null, new LoanInput(1000m, "银行", 12), null);
        var refused = (Microsoft.AspNetCore.Mvc.ValidationProblemDetails)GrantPolicyEndpoint.Validate(loanFacts, post, Hrss, Ownership, Now);
        Assert.Contains("post", refused.Errors.Keys);
        Assert.Contains("loan", refused.Errors.Keys);

        var social = At(ExtendedPolicy.SocialAssistance, CaseStage.UnderVerification);
        var civil = Key(Department.CivilAffairs);
        var wrongKind = new GrantPolicy(social.Version, new DateOnly(2020, 10, 1), null, null, null,
            new AssistanceInput("Pension", 300m, new DateOnly(2020, 10, 1)));
        Assert.Contains("assistance.kind",
            ((ValidationProblemDetails)GrantPolicyEndpoint.Validate(wrongKind, social, civil, Ownership, Now)).Errors.Keys);

        var allowance = wrongKind with { Assistance = new AssistanceInput("ExtremePovertySupport", 600m, new DateOnly(2020, 10, 1)) };
        Assert.Same(WolverineContinue.NoProblems, GrantPolicyEndpoint.Validate(allowance, social, civil, Ownership, Now));
        var (saved, events) = GrantPolicyEndpoint.Post(allowance, social, civil);
        Assert.Equal(new CaseSaved(CaseId, CaseStage.Granted), saved);
        var granted = Assert.IsType<PolicyGranted>(Assert.Single(events));
        Assert.Equal(new AssistanceFacts("ExtremePovertySupport", 600m, new DateOnly(2020, 10, 1)), granted.Facts.Assistance);
    }

    [Fact]
    public void A_date_before_the_stage_began_or_in_the_future_is_a_400()
    {
        var eligible = At(ExtendedPolicy.FinancialLoan, CaseStage.Eligible); // since 2020-09-29
        Assert.Equal(400, StartVerificationEndpoint.Validate(new StartVerification(2, Monday), eligible, Bank, Ownership, Now).Status);
        Assert.Equal(400, StartVerificationEndpoint.Validate(new StartVerification(2, new DateOnly(2020, 10, 2)), eligible, Bank,
            Ownership, Now).Status);
        Assert.Equal(400, DecideLoanEligibilityEndpoint.Validate(new DecideLoanEligibility(1, false, Monday, null),
            At(ExtendedPolicy.FinancialLoan, CaseStage.Applied), Bank, Ownership, Now).Status);
    }

    [Fact]
    public void The_loan_funnel_counts_every_intent_once_and_its_parts_add_up()
    {
        PolicyCaseDetails Loan(CaseStage outcome, bool closed = false, decimal? amount = null) => new()
        {
            Id = Guid.NewGuid(), Policy = ExtendedPolicy.FinancialLoan, Outcome = outcome, CaregiverFamilyId = Guid.NewGuid(),
            Stage = closed ? CaseStage.Closed : outcome, Open = !closed && PolicyCaseRules.IsOpen(outcome),
            Facts = amount is null ? null : new GrantFacts(null, null, new LoanFacts(amount.Value, "银行", 36), null),
        };
        List<PolicyCaseDetails> loans =
        [
            Loan(CaseStage.NeedIdentified), Loan(CaseStage.NeedIdentified, closed: true),
            Loan(CaseStage.Applied), Loan(CaseStage.Applied), Loan(CaseStage.Applied, closed: true),
            Loan(CaseStage.Eligible), Loan(CaseStage.UnderVerification), Loan(CaseStage.UnderVerification),
            Loan(CaseStage.Granted, amount: 50000m), Loan(CaseStage.Granted, closed: true, amount: 30000m),
            Loan(CaseStage.Ineligible), Loan(CaseStage.Ineligible, closed: true), Loan(CaseStage.Rejected),
        ];

        var funnel = LoanFunnel.Of(loans, null, Now);

        Assert.Equal(new LoanFunnel(Now, null, 1, 11, 2, 1, 2, 2, 2, 1, 1, 80000m), funnel);
        Assert.Equal(funnel.Intents, funnel.AwaitingEligibility + funnel.Eligible + funnel.UnderVerification + funnel.Granted
                                     + funnel.Ineligible + funnel.Rejected + funnel.Withdrawn);
    }

    [Fact]
    public void The_loan_funnel_counts_households_not_cases_each_by_its_latest_intent()
    {
        var family = Guid.NewGuid();
        var household = Guid.NewGuid();
        PolicyCaseDetails Loan(Guid? familyId, Guid? householdId, DateOnly openedOn, CaseStage outcome, bool closed = false) => new()
        {
            Id = Guid.CreateVersion7(), Policy = ExtendedPolicy.FinancialLoan, CaregiverFamilyId = familyId, HouseholdId = householdId,
            OpenedOn = openedOn, Outcome = outcome, Stage = closed ? CaseStage.Closed : outcome,
            Open = !closed && PolicyCaseRules.IsOpen(outcome),
        };
        List<PolicyCaseDetails> loans =
        [
            // One family: found ineligible in June, then a new intent under verification in September, and a new need.
            Loan(family, null, new DateOnly(2020, 6, 1), CaseStage.Ineligible),
            Loan(family, null, new DateOnly(2020, 9, 1), CaseStage.UnderVerification),
            Loan(family, null, new DateOnly(2020, 9, 20), CaseStage.NeedIdentified),
            // One household: a withdrawn intent, then an intent awaiting eligibility.
            Loan(null, household, new DateOnly(2020, 7, 1), CaseStage.Applied, closed: true),
            Loan(null, household, new DateOnly(2020, 8, 1), CaseStage.Applied),
            // Another family with a loan need only.
            Loan(Guid.NewGuid(), null, new DateOnly(2020, 9, 1), CaseStage.NeedIdentified),
        ];

        var funnel = LoanFunnel.Of(loans, null, Now);

        Assert.Equal(new LoanFunnel(Now, null, 1, 2, 1, 0, 1, 0, 0, 0, 0, 0m), funnel);
    }

    private sealed class OverdueComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) =>
            x is CaseBecameOverdue a && y is CaseBecameOverdue b && a.CaseId == b.CaseId && a.Stage == b.Stage && a.DueOn == b.DueOn
            && a.DueAt == b.DueAt && a.OwningDepartments.SequenceEqual(b.OwningDepartments);

        public int GetHashCode(object obj) => 0;
    }
}
