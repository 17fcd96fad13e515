using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.ExtendedPolicies;

public sealed class PolicyCaseTests(AppFixture fixture) : ApiTest(fixture)
{
    private static string[] Stages(JsonElement policyCase) =>
        policyCase.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("stage").GetString()!).ToArray();

    [Fact]
    public async Task A_loan_goes_from_intent_through_eligibility_and_verification_to_a_grant_by_the_bank()
    {
        var (familyId, caseId) = await Api.FamilyWithLoanIntent();

        var eligible = await Api.Move(caseId, "eligibility", Requests.Eligibility(1, true), PolicyKeys.Bank);
        Assert.Equal("Eligible", eligible.GetProperty("stage").GetString());
        Assert.Equal(2, eligible.GetProperty("version").GetInt32());
        await Api.Move(caseId, "verification", Requests.Verification(2), PolicyKeys.Bank);
        var granted = await Api.Move(caseId, "grant", Requests.LoanGrant(3), PolicyKeys.Bank);
        Assert.Equal(4, granted.GetProperty("version").GetInt32());

        var read = await Api.PolicyCase(caseId);
        Assert.Equal("FinancialLoan", read.GetProperty("policy").GetString());
        Assert.Equal(familyId, read.GetProperty("caregiverFamilyId").GetGuid());
        Assert.Equal("mucheng", read.GetProperty("township").GetString());
        Assert.Equal("Granted", read.GetProperty("stage").GetString());
        Assert.Equal("2020-10-01", read.GetProperty("stageSince").GetString());
        Assert.False(read.GetProperty("open").GetBoolean());
        Assert.Equal(["Applied", "Eligible", "UnderVerification", "Granted"], Stages(read));
        var verification = read.GetProperty("history")[2];
        Assert.Equal("Bank", verification.GetProperty("by").GetString());
        Assert.Equal("2020-09-30", verification.GetProperty("on").GetString());
        Assert.Equal("2020-10-14", verification.GetProperty("dueOn").GetString());
        var loan = read.GetProperty("facts").GetProperty("loan");
        Assert.Equal(50000m, loan.GetProperty("amount").GetDecimal());
        Assert.Equal("武陟县农村商业银行", loan.GetProperty("bank").GetString());
        Assert.Equal(36, loan.GetProperty("termMonths").GetInt32());

        await Api.Move(caseId, "closure", Requests.Closure(4), PolicyKeys.Bank);
        Assert.Equal("Closed", (await Api.PolicyCase(caseId)).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Hrss_may_not_grant_a_loan_the_answer_names_the_owners()
    {
        var (_, caseId) = await Api.FamilyWithLoanUnderVerification();

        var refused = await Api.Move(caseId, "grant", Requests.LoanGrant(3), Keys.Hrss, 403);
        Assert.Equal("urn:relief:problem:forbidden", refused.GetProperty("type").GetString());
        Assert.Contains("Bank, PovertyAlleviationOffice", refused.GetProperty("detail").GetString());
        await Api.Move(caseId, "eligibility", Requests.Eligibility(3, true), Keys.Hrss, 403);
        await Api.Move(caseId, "rejection", Requests.Rejection(3), Keys.Hrss, 403);
        Assert.Equal("UnderVerification", (await Api.PolicyCase(caseId)).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task A_township_opens_cases_in_its_own_township_only_and_a_non_owner_opens_none()
    {
        var familyId = await Api.QualifiedFamily();
        var sanyangFamily = await Api.QualifiedFamily(Requests.CaregiverFamily("sanyang"));
        await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", familyId), Keys.Mucheng, 201);
        await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", sanyangFamily), Keys.Mucheng, 403);
        await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", familyId), Keys.Hrss, 403);
        await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", familyId), Keys.Auditor, 403);
        await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("PublicWelfarePost", familyId), Keys.Hrss, 201);
    }

    [Fact]
    public async Task An_ineligible_loan_carries_its_reason_and_a_reason_is_required()
    {
        var (_, caseId) = await Api.FamilyWithLoanIntent();

        var missing = await Api.Move(caseId, "eligibility", Requests.Eligibility(1, false), PolicyKeys.Bank, 400);
        Assert.True(missing.GetProperty("errors").TryGetProperty("reason", out _));
        await Api.Move(caseId, "eligibility", Requests.Eligibility(1, false, reason: "无劳动能力，无还款来源"), PolicyKeys.Bank);

        var read = await Api.PolicyCase(caseId);
        Assert.Equal("Ineligible", read.GetProperty("stage").GetString());
        Assert.Equal("无劳动能力，无还款来源", read.GetProperty("reason").GetString());
        var again = await Api.Move(caseId, "verification", Requests.Verification(2), PolicyKeys.Bank, 409);
        Assert.Equal("urn:relief:problem:conflict", again.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_need_identified_by_a_township_is_applied_for_then_verified_and_delivered_by_civil_affairs()
    {
        var householdId = await Api.RegisteredHousehold();
        var caseId = await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", householdId: householdId, stage: "NeedIdentified"));
        await Api.Move(caseId, "application", new JsonObject { ["version"] = 1, ["appliedOn"] = "2020-09-29" });
        await Api.Move(caseId, "verification", Requests.Verification(2), PolicyKeys.CivilAffairs);
        await Api.Move(caseId, "grant", Requests.AssistanceGrant(3, "TemporaryAid", 1000m), PolicyKeys.CivilAffairs);

        var list = await Api.Send(HttpMethod.Get, $"/api/households/{householdId}/policy-cases", null);
        var item = Assert.Single(list.EnumerateArray());
        Assert.Equal(caseId, item.GetProperty("id").GetGuid());
        Assert.Equal("Granted", item.GetProperty("stage").GetString());
        Assert.Equal("TemporaryAid", item.GetProperty("facts").GetProperty("assistance").GetProperty("kind").GetString());
        Assert.Equal(1000m, item.GetProperty("facts").GetProperty("assistance").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task A_public_welfare_post_records_post_employer_pay_and_term()
    {
        var familyId = await Api.QualifiedFamily();
        var caseId = await Api.OpenedCase(Requests.PolicyCase("PublicWelfarePost", familyId), Keys.Hrss);
        await Api.Move(caseId, "verification", Requests.Verification(1), Keys.Hrss);
        await Api.Move(caseId, "grant", Requests.PostGrant(2), Keys.Hrss);

        var post = (await Api.PolicyCase(caseId)).GetProperty("facts").GetProperty("post");
        Assert.Equal("保洁员", post.GetProperty("post").GetString());
        Assert.Equal("木城街道办事处", post.GetProperty("employer").GetString());
        Assert.Equal(500m, post.GetProperty("monthlyPay").GetDecimal());
        Assert.Equal("2020-10-01", post.GetProperty("startsOn").GetString());
        Assert.Equal("2021-09-30", post.GetProperty("endsOn").GetString());
    }

    [Fact]
    public async Task A_grant_without_its_policy_facts_or_with_another_policys_is_a_400()
    {
        var (_, caseId) = await Api.FamilyWithLoanUnderVerification();
        var body = Requests.PostGrant(3);
        var problem = await Api.Move(caseId, "grant", body, PolicyKeys.Bank, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("loan", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("post", out _));

        var noBank = Requests.LoanGrant(3);
        noBank["loan"]!.AsObject().Remove("bank");
        Assert.True((await Api.Move(caseId, "grant", noBank, PolicyKeys.Bank, 400)).GetProperty("errors").TryGetProperty("loan.bank", out _));
    }

    [Fact]
    public async Task Opening_needs_a_known_family_or_household_exactly_one_and_a_case_policy()
    {
        var unknown = Guid.CreateVersion7();
        var notFound = await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", unknown), Keys.PovertyOffice, 404);
        Assert.Equal("urn:relief:problem:not-found", notFound.GetProperty("type").GetString());
        await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", householdId: unknown), Keys.PovertyOffice, 404);

        var familyId = await Api.QualifiedFamily();
        var householdId = await Api.RegisteredHousehold();
        var both = await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", familyId, householdId),
            Keys.PovertyOffice, 400);
        Assert.True(both.GetProperty("errors").TryGetProperty("householdId", out _));
        var training = await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("TrainingAndEmployment", familyId),
            Keys.PovertyOffice, 400);
        Assert.True(training.GetProperty("errors").TryGetProperty("policy", out _));
        var noStage = Requests.PolicyCase("FinancialLoan", familyId);
        noStage.Remove("stage");
        Assert.True((await Api.Send(HttpMethod.Post, "/api/policy-cases", noStage, Keys.PovertyOffice, 400))
            .GetProperty("errors").TryGetProperty("stage", out _));
        var future = await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", familyId, openedOn: "2020-10-02"),
            Keys.PovertyOffice, 400);
        Assert.True(future.GetProperty("errors").TryGetProperty("openedOn", out _));
    }

    [Fact]
    public async Task A_township_key_reads_only_its_own_townships_cases()
    {
        var (familyId, caseId) = await Api.FamilyWithLoanIntent("sanyang");
        await Api.Send(HttpMethod.Get, $"/api/policy-cases/{caseId}", null, Keys.Mucheng, 403);
        await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{familyId}/policy-cases", null, Keys.Mucheng, 403);
        Assert.Equal(caseId, (await Api.PolicyCase(caseId, Keys.Sanyang)).GetProperty("id").GetGuid());

        var list = await Api.Send(HttpMethod.Get, "/api/policy-cases", null, Keys.Mucheng);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Single((await Api.Send(HttpMethod.Get, "/api/policy-cases", null, Keys.Sanyang)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Unknown_cases_stale_versions_and_backward_moves_are_refused()
    {
        var unknown = Guid.CreateVersion7();
        await Api.Send(HttpMethod.Get, $"/api/policy-cases/{unknown}", null, Keys.PovertyOffice, 404);
        var notFound = await Api.Move(unknown, "verification", Requests.Verification(1), PolicyKeys.Bank, 404);
        Assert.Equal("urn:relief:problem:not-found", notFound.GetProperty("type").GetString());
        var familyId = await Api.QualifiedFamily();
        await Api.Move(familyId, "verification", Requests.Verification(1), PolicyKeys.Bank, 404);
        await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{unknown}/policy-cases", null, Keys.PovertyOffice, 404);
        await Api.Send(HttpMethod.Get, $"/api/households/{unknown}/policy-cases", null, Keys.PovertyOffice, 404);

        var (_, caseId) = await Api.FamilyWithLoanUnderVerification();
        var stale = await Api.Move(caseId, "grant", Requests.LoanGrant(2), PolicyKeys.Bank, 409);
        Assert.Equal("urn:relief:problem:concurrency-conflict", stale.GetProperty("type").GetString());
        var backwards = await Api.Move(caseId, "eligibility", Requests.Eligibility(3, true), PolicyKeys.Bank, 409);
        Assert.Equal("urn:relief:problem:conflict", backwards.GetProperty("type").GetString());
        var noVersion = await Send(HttpMethod.Post, $"/api/policy-cases/{caseId}/grant", """{ "grantedOn": "2020-10-01" }""", PolicyKeys.Bank);
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
    }

    [Fact]
    public async Task An_open_case_is_withdrawn_with_a_note_and_a_closed_case_moves_no_more()
    {
        var (_, caseId) = await Api.FamilyWithLoanIntent();
        var noNote = await Api.Move(caseId, "closure", Requests.Closure(1), Keys.PovertyOffice, 400);
        Assert.True(noNote.GetProperty("errors").TryGetProperty("note", out _));
        await Api.Move(caseId, "closure", Requests.Closure(1, "本人放弃贷款意向"), Keys.PovertyOffice);
        await Api.Move(caseId, "closure", Requests.Closure(2, "again"), Keys.PovertyOffice, 409);
        await Api.Move(caseId, "eligibility", Requests.Eligibility(2, true), PolicyKeys.Bank, 409);
    }

    [Fact]
    public async Task A_departments_open_cases_list_with_their_age_one_page_at_a_time()
    {
        var familyId = await Api.QualifiedFamily();
        // Ids are time-ordered: a minute apart, the cases list in the order opened.
        var loan = await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", familyId, openedOn: "2020-09-21"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        var post = await Api.OpenedCase(Requests.PolicyCase("PublicWelfarePost", familyId));
        Clock.Advance(TimeSpan.FromMinutes(1));
        var aid = await Api.OpenedCase(Requests.PolicyCase("MedicalAssistance", familyId));
        Clock.Advance(TimeSpan.FromMinutes(1));
        // One open case per family and policy: the closed loan is another family's.
        var otherFamily = await Api.QualifiedFamily(Requests.CaregiverFamily(head: Requests.FamilyMember("王五", sequence: 33)));
        var closed = await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", otherFamily));
        await Api.Move(closed, "closure", Requests.Closure(1, "撤回"));

        var bank = await Api.Send(HttpMethod.Get, "/api/policy-cases?department=Bank&open=true", null, PolicyKeys.Bank);
        var item = Assert.Single(bank.GetProperty("items").EnumerateArray());
        Assert.Equal(loan, item.GetProperty("id").GetGuid());
        Assert.Equal(10, item.GetProperty("ageDays").GetInt32());
        Assert.Equal(["Bank", "PovertyAlleviationOffice"],
            item.GetProperty("owningDepartments").EnumerateArray().Select(d => d.GetString()!).ToArray());

        var first = await Api.Send(HttpMethod.Get, "/api/policy-cases?department=PovertyAlleviationOffice&open=true&limit=2", null);
        Assert.Equal([loan, post], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray());
        var next = first.GetProperty("nextCursor").GetString();
        var second = await Api.Send(HttpMethod.Get, $"/api/policy-cases?department=PovertyAlleviationOffice&open=true&limit=2&cursor={next}", null);
        Assert.Equal([aid], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var family = await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{familyId}/policy-cases", null);
        Assert.Equal(3, family.GetArrayLength());

        var bad = await Api.Send(HttpMethod.Get, "/api/policy-cases?department=Banks&open=yes", null, Keys.PovertyOffice, 400);
        Assert.True(bad.GetProperty("errors").TryGetProperty("department", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("open", out _));
    }

    [Fact]
    public async Task No_case_opens_for_a_household_that_left_the_safety_net()
    {
        var householdId = await Api.RegisteredHousehold();
        var version = (await Api.Household(householdId)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Post, $"/api/households/{householdId}/closure",
            new JsonObject { ["version"] = version, ["reason"] = "Deceased", ["closedOn"] = "2020-09-30" });

        var refused = await Api.Send(HttpMethod.Post, "/api/policy-cases",
            Requests.PolicyCase("MedicalAssistance", householdId: householdId), Keys.PovertyOffice, 409);
        Assert.Equal("urn:relief:problem:household-closed", refused.GetProperty("type").GetString());
    }
}
