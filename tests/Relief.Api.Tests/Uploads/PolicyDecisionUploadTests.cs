using System.Net;
using System.Text.Json.Nodes;
using static Relief.Api.Tests.Uploads.Spreadsheets;

namespace Relief.Api.Tests.Uploads;

/// <summary>Decisions on policy cases (八延伸), from a spreadsheet or a JSON batch: each checked and recorded as its single route would.</summary>
public sealed class PolicyDecisionUploadTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly string[] Headers = ["事项编号", "办理结果", "办理日期", "原因/说明", "救助类别", "救助金额(元)", "发放日期"];

    private async Task<Guid> AssistanceUnderVerification()
    {
        var household = await Api.RegisteredHousehold();
        var caseId = await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", householdId: household), PolicyKeys.CivilAffairs);
        await Api.Move(caseId, "verification", Requests.Verification(1), PolicyKeys.CivilAffairs);
        return caseId;
    }

    private async Task<string> Stage(Guid caseId) => (await Api.PolicyCase(caseId)).GetProperty("stage").GetString()!;

    [Fact]
    public async Task A_bank_decides_loan_intents_from_a_spreadsheet_each_as_the_eligibility_route_would()
    {
        var (_, eligible) = await Api.FamilyWithLoanIntent();
        var (_, ineligible) = await Api.FamilyWithLoanIntent("sanyang");

        var response = await Upload(Host, "policy-decisions", Utf8Csv(Headers,
            [eligible.ToString(), "符合条件", "2020-09-29", "", "", "", ""],
            [ineligible.ToString(), "Ineligible", "2020-09-29", "无劳动能力，无还款来源", "", "", ""]), "text/csv", PolicyKeys.Bank);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("Eligible", await Stage(eligible));
        var read = await Api.PolicyCase(ineligible);
        Assert.Equal("Ineligible", read.GetProperty("stage").GetString());
        Assert.Equal("无劳动能力，无还款来源", read.GetProperty("reason").GetString());
        // The reason is sealed as the single route seals it.
        Assert.DoesNotContain("无劳动能力", await StoredEvents());
    }

    [Fact]
    public async Task Civil_affairs_grants_minimum_living_allowance_and_wubao_support_by_their_Chinese_names()
    {
        var dibao = await AssistanceUnderVerification();
        var wubao = await AssistanceUnderVerification();

        var response = await Upload(Host, "policy-decisions", Workbook(
            [.. Headers],
            [dibao.ToString(), "批准", "2020-09-30", null, "低保", 480, "2020-09-30"],
            [wubao.ToString(), "Grant", "2020-09-30", null, "五保", "600.50", "2020-09-30"]), Xlsx, PolicyKeys.CivilAffairs,
            formFileName: "救助.xlsx");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var dibaoFacts = (await Api.PolicyCase(dibao)).GetProperty("facts").GetProperty("assistance");
        Assert.Equal("MinimumLivingAllowance", dibaoFacts.GetProperty("kind").GetString());
        Assert.Equal(480m, dibaoFacts.GetProperty("amount").GetDecimal());
        var wubaoFacts = (await Api.PolicyCase(wubao)).GetProperty("facts").GetProperty("assistance");
        Assert.Equal("ExtremePovertySupport", wubaoFacts.GetProperty("kind").GetString());
        Assert.Equal(600.50m, wubaoFacts.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task A_decision_the_owner_may_not_take_or_out_of_order_refuses_the_whole_upload()
    {
        var granted = await AssistanceUnderVerification();
        var (_, loan) = await Api.FamilyWithLoanIntent();

        var response = await Upload(Host, "policy-decisions", Utf8Csv(Headers,
            [granted.ToString(), "批准", "2020-09-30", "", "低保", "480", "2020-09-30"],
            [loan.ToString(), "批准", "2020-09-30", "", "", "", ""],
            [granted.ToString(), "驳回", "2020-09-30", "重复", "", "", ""]), "text/csv", PolicyKeys.CivilAffairs);

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        var rows = (await Json(response)).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal("Valid", rows[0].GetProperty("outcome").GetString());
        Assert.Equal(403, rows[1].GetProperty("status").GetInt32());
        Assert.Equal(409, rows[2].GetProperty("status").GetInt32());
        Assert.Equal("UnderVerification", await Stage(granted));
        Assert.Equal("Applied", await Stage(loan));
    }

    [Fact]
    public async Task A_reason_or_grant_facts_where_the_decision_takes_none_are_refused_not_dropped()
    {
        var caseId = await AssistanceUnderVerification();

        var response = await Upload(Host, "policy-decisions", Utf8Csv(Headers,
            [caseId.ToString(), "驳回", "2020-09-30", "不符合条件", "低保", "480", "2020-09-30"]), "text/csv", PolicyKeys.CivilAffairs);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = Assert.Single((await Json(response)).GetProperty("errors").EnumerateArray());
        Assert.Equal(2, error.GetProperty("row").GetInt32());
        Assert.Equal("assistance", error.GetProperty("field").GetString());
        Assert.Contains("Grant only", error.GetProperty("message").GetString());
        Assert.Equal("UnderVerification", await Stage(caseId));
    }

    [Fact]
    public async Task The_JSON_batch_starts_verification_with_its_deadline_and_answers_each_cases_version()
    {
        var (_, caseId) = await Api.FamilyWithLoanIntent();
        await Api.Move(caseId, "eligibility", Requests.Eligibility(1, true), PolicyKeys.Bank);

        var response = await Send(HttpMethod.Post, "/api/policy-case-decisions/batch", new JsonObject
        {
            ["decisions"] = new JsonArray(new JsonObject
            {
                ["caseId"] = caseId.ToString(), ["version"] = 2, ["decision"] = "StartVerification", ["on"] = "2020-09-30",
            }),
        }.ToJsonString(), PolicyKeys.Bank);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decided = (await Json(response)).GetProperty("cases")[0];
        Assert.Equal("UnderVerification", decided.GetProperty("stage").GetString());
        Assert.Equal(3, decided.GetProperty("version").GetInt32());
        var read = await Api.PolicyCase(caseId);
        Assert.Equal("UnderVerification", read.GetProperty("stage").GetString());
        Assert.NotEqual(JsonValueKind(), read.GetProperty("dueOn").ValueKind);
    }

    private static System.Text.Json.JsonValueKind JsonValueKind() => System.Text.Json.JsonValueKind.Null;
}
