using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>逐人落实: each need of the survey followed to the case or measure that meets it; the needs still unmet by policy and department.</summary>
public sealed class NeedsTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task Survey(Guid familyId, string surveyedOn, params string[] needs)
    {
        var version = (await Api.Family(familyId)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Put, $"/api/caregiver-families/{familyId}/needs", new JsonObject
        {
            ["version"] = version,
            ["surveyedOn"] = surveyedOn,
            ["needs"] = new JsonArray(needs.Select(n => (JsonNode)n).ToArray()),
        });
    }

    private static Dictionary<string, JsonElement> ByPolicy(JsonElement needs) =>
        needs.GetProperty("needs").EnumerateArray().ToDictionary(n => n.GetProperty("policy").GetString()!);

    [Fact]
    public async Task Each_need_is_followed_to_the_case_or_measure_that_meets_it()
    {
        var trainee = await Api.FamilyHead();
        var family = trainee.FamilyId;
        await Survey(family, "2020-09-10", "FinancialLoan", "TrainingAndEmployment", "MedicalAssistance", "FamilyDoctor");
        var loan = await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", family));
        var enrolment = await Api.Enrolled(await Api.ScheduledClass(), trainee);
        var version = (await Api.Family(family)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Post, $"/api/caregiver-families/{family}/members/{trainee.MemberId}/family-doctor",
            Requests.FamilyDoctor(version, signedOn: "2020-09-20"), FamilyKeys.Health);

        var needs = await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{family}/needs", null);

        Assert.Equal("2020-09-10", needs.GetProperty("surveyedOn").GetString());
        var byPolicy = ByPolicy(needs);
        Assert.Equal(("InProgress", "PolicyCase", loan), (byPolicy["FinancialLoan"].GetProperty("status").GetString(),
            byPolicy["FinancialLoan"].GetProperty("measure").GetProperty("kind").GetString(),
            byPolicy["FinancialLoan"].GetProperty("measure").GetProperty("id").GetGuid()));
        Assert.Equal(("Met", "Enrolment", enrolment), (byPolicy["TrainingAndEmployment"].GetProperty("status").GetString(),
            byPolicy["TrainingAndEmployment"].GetProperty("measure").GetProperty("kind").GetString(),
            byPolicy["TrainingAndEmployment"].GetProperty("measure").GetProperty("id").GetGuid()));
        Assert.Equal(("Met", "FamilyDoctorAgreement"), (byPolicy["FamilyDoctor"].GetProperty("status").GetString(),
            byPolicy["FamilyDoctor"].GetProperty("measure").GetProperty("kind").GetString()));
        Assert.Equal("Open", byPolicy["MedicalAssistance"].GetProperty("status").GetString());
        Assert.False(byPolicy["MedicalAssistance"].TryGetProperty("measure", out _));
        Assert.Equal(["MedicalSecurity", "PovertyAlleviationOffice"], byPolicy["MedicalAssistance"].GetProperty("owners").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task A_granted_case_meets_the_need_and_takes_it_off_the_unmet_list()
    {
        var family = await Api.QualifiedFamily();
        await Survey(family, "2020-09-10", "SocialAssistance");
        var assistance = await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", family));
        Assert.Equal(1, (await Api.Send(HttpMethod.Get, "/api/needs/unmet", null)).GetProperty("total").GetInt32());

        await Api.Move(assistance, "verification", Requests.Verification(1), PolicyKeys.CivilAffairs);
        Assert.Equal(1, (await Api.Send(HttpMethod.Get, "/api/needs/unmet", null)).GetProperty("total").GetInt32());
        await Api.Move(assistance, "grant", Requests.AssistanceGrant(2), PolicyKeys.CivilAffairs);

        var needs = ByPolicy(await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{family}/needs", null));
        Assert.Equal("Met", needs["SocialAssistance"].GetProperty("status").GetString());
        Assert.Equal(0, (await Api.Send(HttpMethod.Get, "/api/needs/unmet", null)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_county_sees_the_unmet_needs_by_policy_department_and_township_and_a_township_its_own()
    {
        var mucheng = await Api.QualifiedFamily();
        await Survey(mucheng, "2020-09-10", "FinancialLoan", "MedicalAssistance");
        await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", mucheng));
        var sanyang = await Api.QualifiedFamily(Requests.CaregiverFamily("sanyang", Requests.FamilyMember("王五", sequence: 31)));
        await Survey(sanyang, "2020-09-12", "MedicalAssistance");

        var county = await Api.Send(HttpMethod.Get, "/api/needs/unmet", null);

        Assert.Equal(3, county.GetProperty("total").GetInt32());
        var byPolicy = county.GetProperty("byPolicy").EnumerateArray()
            .ToDictionary(c => c.GetProperty("key").GetString()!, c => (c.GetProperty("unmet").GetInt32(), c.GetProperty("inProgress").GetInt32()));
        Assert.Equal((1, 1), byPolicy["FinancialLoan"]);
        Assert.Equal((2, 0), byPolicy["MedicalAssistance"]);
        var byDepartment = county.GetProperty("byDepartment").EnumerateArray()
            .ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("unmet").GetInt32());
        Assert.Equal(2, byDepartment["MedicalSecurity"]);
        Assert.Equal(1, byDepartment["Bank"]);
        var byTownship = county.GetProperty("byTownship").EnumerateArray()
            .ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("unmet").GetInt32());
        Assert.Equal((2, 1), (byTownship["mucheng"], byTownship["sanyang"]));

        var bank = await Api.Send(HttpMethod.Get, "/api/needs/unmet?department=Bank", null);
        Assert.Equal("FinancialLoan", Assert.Single(bank.GetProperty("items").EnumerateArray()).GetProperty("policy").GetString());

        var own = await Api.Send(HttpMethod.Get, "/api/needs/unmet", null, Keys.Sanyang);
        Assert.Equal(sanyang, Assert.Single(own.GetProperty("items").EnumerateArray()).GetProperty("familyId").GetGuid());
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "/api/needs/unmet?township=mucheng", null, Keys.Sanyang)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, $"/api/caregiver-families/{mucheng}/needs", null, Keys.Sanyang)).StatusCode);
    }

    [Theory]
    [InlineData("policy=Loans")]
    [InlineData("department=Police")]
    [InlineData("township=nowhere")]
    public async Task An_unknown_filter_is_a_400(string query)
    {
        var response = await Send(HttpMethod.Get, $"/api/needs/unmet?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
