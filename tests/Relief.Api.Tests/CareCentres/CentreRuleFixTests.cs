using System.Net;
using System.Text.Json.Nodes;
using Relief.Api.CareAgreements;

namespace Relief.Api.Tests.CareCentres;

/// <summary>Rules added after the review of the centre module.</summary>
public sealed class CentreRuleFixTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_member_of_a_closed_household_is_neither_admitted_nor_put_on_trial()
    {
        var centre = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson(sequence: 31);
        await Api.Send(HttpMethod.Post, $"/api/households/{person.HouseholdId}/closure",
            JsonNode.Parse("""{ "version": 2, "reason": "MovedAway", "closedOn": "2020-09-01" }"""));

        var admission = await Send(HttpMethod.Post, $"/api/care-centres/{centre}/admissions",
            Requests.Admission(person.HouseholdId, person.MemberId).ToJsonString(), CentreKeys.CivilAffairs);
        var trial = await Send(HttpMethod.Post, $"/api/care-centres/{centre}/trial-stays",
            Requests.TrialStay(person.HouseholdId, person.MemberId).ToJsonString(), CentreKeys.CivilAffairs);

        Assert.Equal("urn:relief:problem:household-closed", (await Json(admission)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Conflict, trial.StatusCode);
        Assert.Equal(0, (await Api.Centre(centre)).GetProperty("occupied").GetInt32());
    }

    [Fact]
    public async Task A_resident_is_discharged_only_once_the_centralised_agreement_on_the_stay_has_ended()
    {
        var centre = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson(sequence: 32);
        var stay = await Api.Admitted(centre, person);
        var agreement = await Api.SignedAgreement(person.HouseholdId, Requests.Agreement(CareMode.CentralisedCare,
            kind: CaregiverKind.Organisation, caregiver: "木城医养中心", centreStayId: stay, endsOn: null));
        var discharge = $$"""{ "dischargedOn": "2020-09-30", "reason": "returned home" }""";

        var refused = await Send(HttpMethod.Post, $"/api/care-centres/{centre}/residents/{stay}/discharge", discharge, CentreKeys.CivilAffairs);
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/end",
            JsonNode.Parse("""{ "version": 1, "endedOn": "2020-09-30", "reason": "returned home" }"""));
        var allowed = await Send(HttpMethod.Post, $"/api/care-centres/{centre}/residents/{stay}/discharge", discharge, CentreKeys.CivilAffairs);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(agreement.ToString(), (await Json(refused)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task A_township_key_sees_only_its_own_residents_of_a_centre_and_their_costs()
    {
        var centre = await Api.CentreWithBeds(5);
        var own = await Api.EligiblePerson("mucheng", sequence: 33);
        var other = await Api.EligiblePerson("sanyang", sequence: 34);
        await Api.Admitted(centre, own);
        var otherStay = await Api.Admitted(centre, other);
        await Api.AdoptedFundingRule();

        var seen = await Api.Send(HttpMethod.Get, $"/api/care-centres/{centre}", null, Keys.Mucheng);
        var cost = await Send(HttpMethod.Get, $"/api/care-centres/{centre}/residents/{otherStay}/cost?month=2020-09", key: Keys.Mucheng);

        Assert.Equal(own.HouseholdId, Assert.Single(seen.GetProperty("residents").EnumerateArray()).GetProperty("householdId").GetGuid());
        Assert.Equal(2, seen.GetProperty("occupied").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, cost.StatusCode);
    }
}
