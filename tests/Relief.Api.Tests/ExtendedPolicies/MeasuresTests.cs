using System.Net;
using System.Text.Json.Nodes;
using Relief.Api.CareAgreements;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>A family's and a household's measures (八延伸), each in one read.</summary>
public sealed class MeasuresTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_familys_measures_gather_its_cases_family_doctors_training_placements_and_honours()
    {
        var household = await Api.RegisteredHousehold();
        var agreement = await Api.SignedAgreement(household, Requests.Agreement(CareMode.KinshipCare, caregiver: "张小梅"));
        var family = (await Api.Agreement(agreement)).GetProperty("caregiver").GetProperty("caregiverFamilyId").GetGuid();
        var head = await Api.FamilyMemberId(family, "张小梅");
        var loan = await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", family));
        var householdCase = await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", householdId: household), "dev-civil-affairs");
        await Api.Send(HttpMethod.Post, $"/api/caregiver-families/{family}/members/{head}/family-doctor",
            Requests.FamilyDoctor(2), "dev-health");
        await Api.Send(HttpMethod.Post, "/api/job-placements", Requests.Placement(family, head), Keys.Hrss, 201);
        await Api.Send(HttpMethod.Post, $"/api/caregiver-families/{family}/honours",
            JsonNode.Parse("""{ "kind": "FilialPiety", "title": "孝老爱亲模范", "awardedOn": "2020-09-25" }"""), Keys.PovertyOffice, 201);

        var measures = await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{family}/measures", null);

        Assert.Equal(loan, Assert.Single(measures.GetProperty("policyCases").EnumerateArray()).GetProperty("id").GetGuid());
        var doctor = Assert.Single(measures.GetProperty("familyDoctors").EnumerateArray());
        Assert.True(doctor.GetProperty("inForce").GetBoolean());
        Assert.Single(measures.GetProperty("trainingAndEmployment").GetProperty("placements").EnumerateArray());
        Assert.Single(measures.GetProperty("recognition").GetProperty("honours").EnumerateArray());

        var ofHousehold = await Api.Send(HttpMethod.Get, $"/api/households/{household}/measures", null);
        Assert.Equal(householdCase, Assert.Single(ofHousehold.GetProperty("policyCases").EnumerateArray()).GetProperty("id").GetGuid());
        var carer = Assert.Single(ofHousehold.GetProperty("caregiverFamilies").EnumerateArray());
        Assert.Equal(family, carer.GetProperty("familyId").GetGuid());
        Assert.Equal(loan, carer.GetProperty("policyCases")[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Measures_keep_to_the_callers_township_and_unknown_ids_are_404()
    {
        var household = await Api.RegisteredHousehold(Requests.Household("sanyang"));
        var family = await Api.QualifiedFamily(Requests.CaregiverFamily("sanyang"));

        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, $"/api/households/{household}/measures", key: Keys.Mucheng)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, $"/api/caregiver-families/{family}/measures", key: Keys.Mucheng)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/households/{Guid.CreateVersion7()}/measures")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/caregiver-families/{Guid.CreateVersion7()}/measures")).StatusCode);
    }
}
