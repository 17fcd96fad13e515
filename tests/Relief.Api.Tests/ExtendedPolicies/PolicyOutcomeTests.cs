using System.Text.Json.Nodes;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>Each policy carried by a case goes from need to outcome through the API, by its owning department.</summary>
public sealed class PolicyOutcomeTests(AppFixture fixture) : ApiTest(fixture)
{
    private static JsonObject Grant(string policy, int version)
    {
        var body = policy switch
        {
            "PublicWelfarePost" => Requests.PostGrant(version),
            "FinancialLoan" => Requests.LoanGrant(version),
            "MedicalAssistance" => Requests.AssistanceGrant(version, "住院医疗救助", 1200m),
            "SocialAssistance" => Requests.AssistanceGrant(version, "ExtremePovertySupport", 500m),
            "CharityAssistance" => Requests.AssistanceGrant(version, "助学金", 800m),
            "Entrepreneurship" => new JsonObject
            {
                ["version"] = version, ["grantedOn"] = "2020-10-01",
                ["business"] = new JsonObject { ["project"] = "养鸡场", ["support"] = "创业补贴与技术指导", ["amount"] = 5000m },
            },
            _ => throw new ArgumentOutOfRangeException(nameof(policy)),
        };
        return body;
    }

    [Theory]
    [InlineData("PublicWelfarePost", "dev-hrss")]
    [InlineData("Entrepreneurship", "dev-hrss")]
    [InlineData("FinancialLoan", "dev-bank")]
    [InlineData("MedicalAssistance", "dev-medical-security")]
    [InlineData("SocialAssistance", "dev-civil-affairs")]
    [InlineData("CharityAssistance", "dev-charity")]
    public async Task From_need_to_outcome_by_the_owning_department(string policy, string owner)
    {
        var family = await Api.QualifiedFamily();
        var caseId = await Api.OpenedCase(Requests.PolicyCase(policy, family, stage: "NeedIdentified", openedOn: "2020-09-26"), Keys.Mucheng);

        await Api.Move(caseId, "application", JsonNode.Parse("""{ "version": 1, "appliedOn": "2020-09-27" }""")!.AsObject(), owner);
        var version = 2;
        if (policy == "FinancialLoan")
        {
            await Api.Move(caseId, "eligibility", Requests.Eligibility(version++, true), owner);
        }

        await Api.Move(caseId, "verification", Requests.Verification(version++), owner);
        await Api.Move(caseId, "grant", Grant(policy, version++), owner);
        await Api.Move(caseId, "closure", Requests.Closure(version), owner);

        var done = await Api.PolicyCase(caseId);
        Assert.Equal("Closed", done.GetProperty("stage").GetString());
        Assert.Equal("Granted", done.GetProperty("outcome").GetString());
    }
}
