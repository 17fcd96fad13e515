namespace Relief.Api.Tests.ExtendedPolicies;

public sealed class LoanFunnelTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>The funnel's stages: every intent is in exactly one.</summary>
    private static readonly string[] Stages =
        ["awaitingEligibility", "eligible", "underVerification", "granted", "ineligible", "rejected", "withdrawn"];

    [Fact]
    public async Task The_loan_funnel_is_exact_after_a_mix_of_transitions_and_filters_by_township()
    {
        // mucheng: 2 awaiting eligibility, 1 eligible, 1 verifying, 1 granted, 1 ineligible, 1 rejected, 1 withdrawn
        for (var i = 0; i < 2; i++) await Api.FamilyWithLoanIntent();
        var (_, eligible) = await Api.FamilyWithLoanIntent();
        await Api.Move(eligible, "eligibility", Requests.Eligibility(1, true), PolicyKeys.Bank);
        await Api.FamilyWithLoanUnderVerification();
        var (_, granted) = await Api.FamilyWithLoanUnderVerification();
        await Api.Move(granted, "grant", Requests.LoanGrant(3, 50000m), PolicyKeys.Bank);
        var (_, ineligible) = await Api.FamilyWithLoanIntent();
        await Api.Move(ineligible, "eligibility", Requests.Eligibility(1, false, reason: "超龄"), PolicyKeys.Bank);
        var (_, rejected) = await Api.FamilyWithLoanUnderVerification();
        await Api.Move(rejected, "rejection", Requests.Rejection(3, "核实不符"), PolicyKeys.Bank);
        var (_, withdrawn) = await Api.FamilyWithLoanIntent();
        await Api.Move(withdrawn, "closure", Requests.Closure(1, "放弃"));
        // sanyang: 1 verifying; and a loan need not yet an intent
        await Api.FamilyWithLoanUnderVerification("sanyang");
        var familyId = await Api.QualifiedFamily(Requests.CaregiverFamily("sanyang"));
        await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", familyId, stage: "NeedIdentified"));
        // Not a loan: not counted.
        await Api.OpenedCase(Requests.PolicyCase("PublicWelfarePost", familyId));

        var county = await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel", null, Keys.Reports);
        Assert.Equal(1, county.GetProperty("needsIdentified").GetInt32());
        Assert.Equal(9, county.GetProperty("intents").GetInt32());
        Assert.Equal(2, county.GetProperty("awaitingEligibility").GetInt32());
        Assert.Equal(1, county.GetProperty("eligible").GetInt32());
        Assert.Equal(2, county.GetProperty("underVerification").GetInt32());
        Assert.Equal(1, county.GetProperty("granted").GetInt32());
        Assert.Equal(1, county.GetProperty("ineligible").GetInt32());
        Assert.Equal(1, county.GetProperty("rejected").GetInt32());
        Assert.Equal(1, county.GetProperty("withdrawn").GetInt32());
        Assert.Equal(50000m, county.GetProperty("grantedAmount").GetDecimal());
        var parts = Stages.Sum(p => county.GetProperty(p).GetInt32());
        Assert.Equal(county.GetProperty("intents").GetInt32(), parts);

        // Closing a granted loan keeps it granted.
        await Api.Move(granted, "closure", Requests.Closure(4, "已还清"), PolicyKeys.Bank);
        var sanyang = await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel?township=三阳乡", null, PolicyKeys.Bank);
        Assert.Equal("sanyang", sanyang.GetProperty("township").GetString());
        Assert.Equal(1, sanyang.GetProperty("intents").GetInt32());
        Assert.Equal(1, sanyang.GetProperty("underVerification").GetInt32());
        Assert.Equal(1, (await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel", null, Keys.Reports)).GetProperty("granted").GetInt32());
        Assert.Equal(1, (await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel", null, Keys.Sanyang)).GetProperty("intents").GetInt32());
    }

    [Fact]
    public async Task The_report_counts_loans_by_household_so_a_family_that_applies_again_counts_once()
    {
        // Found ineligible on 09-29, the family applies again on 09-30.
        var (family, first) = await Api.FamilyWithLoanIntent();
        await Api.Move(first, "eligibility", Requests.Eligibility(1, false, reason: "超龄"), PolicyKeys.Bank);
        var ineligible = await Api.WeeklyDispatch();
        Assert.Equal(1, ineligible.County("loanIntents").Value);
        Assert.Equal(1, ineligible.County("loansIneligible").Value);

        var again = await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", family, openedOn: "2020-09-30"));
        var reapplied = await Api.WeeklyDispatch();
        Assert.Equal(1, reapplied.County("loanIntents").Value);
        Assert.Equal(0, reapplied.County("loansIneligible").Value);

        // Verified and granted: one household granted, neither ineligible nor under verification.
        await Api.Move(again, "eligibility", Requests.Eligibility(1, true, decidedOn: "2020-09-30"), PolicyKeys.Bank);
        await Api.Move(again, "verification", Requests.Verification(2), PolicyKeys.Bank);
        Assert.Equal(1, (await Api.WeeklyDispatch()).County("loansVerifying").Value);
        await Api.Move(again, "grant", Requests.LoanGrant(3, 30000m), PolicyKeys.Bank);
        var granted = await Api.WeeklyDispatch();
        Assert.Equal((1, 0, 0, 1), (granted.County("loanIntents").Value, granted.County("loansIneligible").Value,
            granted.County("loansVerifying").Value, granted.County("loansGranted").Value));
        var funnel = await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel", null, Keys.Reports);
        Assert.Equal((1, 1, 0), (funnel.GetProperty("intents").GetInt32(), funnel.GetProperty("granted").GetInt32(),
            funnel.GetProperty("ineligible").GetInt32()));
    }

    [Fact]
    public async Task An_unknown_township_is_a_400_and_a_township_key_may_not_ask_for_another()
    {
        var unknown = await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel?township=nowhere", null, Keys.Reports, 400);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("township", out _));
        await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel?township=mucheng", null, Keys.Sanyang, 403);
        await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel", null, "no-such-key", 401);
    }
}
