using System.Net;
using System.Text.Json.Nodes;
using Relief.Api.CareAgreements;

namespace Relief.Api.Tests.CareAgreements;

public sealed class CareAgreementTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_signed_agreement_reads_back_with_its_terms_and_covers_the_household()
    {
        var (household, agreementId) = await Api.HouseholdWithNeighbourAgreement();

        var agreement = await Api.Agreement(agreementId);

        Assert.Equal(household, agreement.GetProperty("householdId").GetGuid());
        Assert.Equal("NeighbourCare", agreement.GetProperty("mode").GetString());
        Assert.Equal("李大娘", agreement.GetProperty("caregiver").GetProperty("name").GetString());
        Assert.Equal("2021-03-31", agreement.GetProperty("endsOn").GetString());
        Assert.Equal(300.00m, agreement.GetProperty("currentTerms").GetProperty("monthlySubsidy").GetDecimal());
        Assert.True(agreement.GetProperty("activeToday").GetBoolean());
        var list = await Api.Send(HttpMethod.Get, $"/api/households/{household}/care-agreements", null);
        Assert.Equal(agreementId, Assert.Single(list.EnumerateArray()).GetProperty("id").GetGuid());
        var view = await Api.Household(household);
        Assert.True(view.GetProperty("coveredToday").GetBoolean());
        var shown = Assert.Single(view.GetProperty("agreements").EnumerateArray());
        Assert.Equal("NeighbourCare", shown.GetProperty("mode").GetString());
        Assert.Equal("2021-03-31", shown.GetProperty("lastDay").GetString());
    }

    [Fact]
    public async Task Renewal_amendment_and_ending_each_advance_the_version_and_keep_history()
    {
        var (_, id) = await Api.HouseholdWithNeighbourAgreement();

        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{id}/renewal",
            JsonNode.Parse("""{ "version": 1, "endsOn": "2022-03-31", "renewedOn": "2020-09-01" }"""));
        var terms = Requests.Agreement()["terms"]!.DeepClone();
        terms["monthlySubsidy"] = 400m;
        terms["endsOn"] = "2022-03-31";
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{id}/amendment",
            new JsonObject { ["version"] = 2, ["effectiveFrom"] = "2020-10-01", ["terms"] = terms });
        var agreement = await Api.Agreement(id);

        Assert.Equal(3, agreement.GetProperty("version").GetInt32());
        Assert.Equal(400m, agreement.GetProperty("currentTerms").GetProperty("monthlySubsidy").GetDecimal());
        Assert.Equal(2, agreement.GetProperty("termsHistory").GetArrayLength());
        Assert.Equal(300m, agreement.GetProperty("termsHistory")[0].GetProperty("terms").GetProperty("monthlySubsidy").GetDecimal());

        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{id}/end",
            JsonNode.Parse("""{ "version": 3, "endedOn": "2020-09-30", "reason": "caregiver moved away" }"""));
        agreement = await Api.Agreement(id);
        Assert.False(agreement.GetProperty("activeToday").GetBoolean());
        Assert.Equal("caregiver moved away", agreement.GetProperty("endReason").GetString());
    }

    [Fact]
    public async Task An_ended_agreement_cannot_be_renewed_or_ended_again()
    {
        var (_, id) = await Api.HouseholdWithNeighbourAgreement();
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{id}/end",
            JsonNode.Parse("""{ "version": 1, "endedOn": "2020-09-30", "reason": "x" }"""));

        var renew = await Send(HttpMethod.Post, $"/api/care-agreements/{id}/renewal",
            """{ "version": 2, "endsOn": "2022-03-31", "renewedOn": "2020-10-01" }""");
        var endAgain = await Send(HttpMethod.Post, $"/api/care-agreements/{id}/end",
            """{ "version": 2, "endedOn": "2020-09-30", "reason": "x" }""");

        Assert.Equal(HttpStatusCode.Conflict, renew.StatusCode);
        Assert.Equal("urn:relief:problem:conflict", (await Json(renew)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Conflict, endAgain.StatusCode);
    }

    [Theory]
    [InlineData(CareMode.KinshipCare, CaregiverKind.Organisation)]
    [InlineData(CareMode.CentralisedCare, CaregiverKind.Person)]
    [InlineData(CareMode.CharityCare, CaregiverKind.CaregiverFamily)]
    public async Task Each_kind_of_care_is_signed_only_by_its_kinds_of_caregiver(CareMode mode, CaregiverKind kind)
    {
        var household = await Api.RegisteredHousehold();

        var response = await Send(HttpMethod.Post, $"/api/households/{household}/care-agreements",
            Requests.Agreement(mode, kind: kind, caregiverFamilyId: kind == CaregiverKind.CaregiverFamily ? Guid.CreateVersion7() : null,
                centreStayId: mode == CareMode.CentralisedCare ? Guid.CreateVersion7() : null).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("caregiver.kind", out _));
    }

    [Fact]
    public async Task Bad_terms_are_400_with_field_errors()
    {
        var household = await Api.RegisteredHousehold();
        var body = Requests.Agreement(startsOn: "2020-04-01", endsOn: "2020-03-01");
        body["terms"]!["duties"] = new JsonArray();
        body["terms"]!["monthlySubsidy"] = 10.005m;
        body.Remove("signedOn");

        var response = await Send(HttpMethod.Post, $"/api/households/{household}/care-agreements", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        foreach (var field in new[] { "terms.endsOn", "terms.duties", "terms.monthlySubsidy", "signedOn" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Centralised_care_needs_the_centre_stay_it_rests_on()
    {
        var household = await Api.RegisteredHousehold();

        var response = await Send(HttpMethod.Post, $"/api/households/{household}/care-agreements",
            Requests.Agreement(CareMode.CentralisedCare, kind: CaregiverKind.Organisation, caregiver: "武陟县医养中心").ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("centreStayId", out _));
    }

    [Fact]
    public async Task Unknown_households_and_agreements_are_404_and_other_townships_403()
    {
        var unknownHousehold = await Send(HttpMethod.Post, $"/api/households/{Guid.CreateVersion7()}/care-agreements",
            Requests.Agreement().ToJsonString());
        var unknownAgreement = await Send(HttpMethod.Post, $"/api/care-agreements/{Guid.CreateVersion7()}/end",
            """{ "version": 1, "endedOn": "2020-09-30", "reason": "x" }""");
        var (_, sanyangAgreement) = await Api.HouseholdWithNeighbourAgreement("sanyang");
        var otherTownship = await Send(HttpMethod.Post, $"/api/care-agreements/{sanyangAgreement}/end",
            """{ "version": 1, "endedOn": "2020-09-30", "reason": "x" }""", Keys.Mucheng);

        Assert.Equal(HttpStatusCode.NotFound, unknownHousehold.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownAgreement.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTownship.StatusCode);
    }

    [Fact]
    public async Task Only_departments_that_own_care_agreements_may_sign_them()
    {
        var household = await Api.RegisteredHousehold();

        var hrss = await Send(HttpMethod.Post, $"/api/households/{household}/care-agreements", Requests.Agreement().ToJsonString(), Keys.Hrss);
        var civilAffairs = await Send(HttpMethod.Post, $"/api/households/{household}/care-agreements", Requests.Agreement().ToJsonString(), "dev-civil-affairs");

        Assert.Equal(HttpStatusCode.Forbidden, hrss.StatusCode);
        Assert.Equal(HttpStatusCode.Created, civilAffairs.StatusCode);
    }
}

public sealed class CareAgreementFamilyTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_kinship_agreement_signed_by_a_person_makes_their_caregiver_family()
    {
        var household = await Api.RegisteredHousehold();

        var agreementId = await Api.SignedAgreement(household, Requests.Agreement(CareMode.KinshipCare, caregiver: "张小梅"));

        var agreement = await Api.Agreement(agreementId);
        var familyId = agreement.GetProperty("caregiver").GetProperty("caregiverFamilyId").GetGuid();
        var family = await Api.Family(familyId);
        Assert.Equal("张小梅", family.GetProperty("headName").GetString());
        Assert.Equal("mucheng", family.GetProperty("township").GetString());
        Assert.Equal("东关村", family.GetProperty("village").GetString());
        Assert.Equal(agreementId, Assert.Single(family.GetProperty("agreements").EnumerateArray()).GetProperty("agreementId").GetGuid());
    }

    [Fact]
    public async Task An_agreement_may_link_to_an_existing_family_but_not_to_an_unknown_one()
    {
        var household = await Api.RegisteredHousehold();
        var family = await Api.RegisteredFamily();

        var linked = await Api.SignedAgreement(household,
            Requests.Agreement(CareMode.NeighbourCare, kind: CaregiverKind.CaregiverFamily, caregiverFamilyId: family));
        var unknown = await Send(HttpMethod.Post, $"/api/households/{household}/care-agreements",
            Requests.Agreement(CareMode.NeighbourCare, kind: CaregiverKind.CaregiverFamily, caregiverFamilyId: household).ToJsonString());

        Assert.Equal(family, (await Api.Agreement(linked)).GetProperty("caregiver").GetProperty("caregiverFamilyId").GetGuid());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await Json(unknown)).GetProperty("errors").TryGetProperty("caregiver.caregiverFamilyId", out _));
        Assert.Single((await Api.Family(family)).GetProperty("agreements").EnumerateArray());
    }

    [Fact]
    public async Task Charity_care_by_an_organisation_makes_no_family()
    {
        var household = await Api.RegisteredHousehold();

        var agreementId = await Api.SignedAgreement(household,
            Requests.Agreement(CareMode.CharityCare, kind: CaregiverKind.Organisation, caregiver: "武陟县慈善总会"));

        var caregiver = (await Api.Agreement(agreementId)).GetProperty("caregiver");
        Assert.False(caregiver.TryGetProperty("caregiverFamilyId", out _));
        var families = await Api.Send(HttpMethod.Get, "/api/caregiver-families", null);
        Assert.Empty(families.GetProperty("items").EnumerateArray());
    }
}

public sealed class CentralisedCareTests(AppFixture fixture) : ApiTest(fixture)
{
    private static System.Text.Json.Nodes.JsonObject Centralised(Guid stayId) =>
        Requests.Agreement(CareMode.CentralisedCare, kind: CaregiverKind.Organisation, caregiver: "木城医养中心",
            centreStayId: stayId, endsOn: null);

    [Fact]
    public async Task Centralised_care_rests_on_an_active_admission_and_shows_with_the_household()
    {
        var centre = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson(sequence: 21);
        var stay = await Api.Admitted(centre, person);

        var agreementId = await Api.SignedAgreement(person.HouseholdId, Centralised(stay));

        var household = await Api.Household(person.HouseholdId);
        Assert.True(household.GetProperty("coveredToday").GetBoolean());
        Assert.Equal(agreementId, household.GetProperty("agreements")[0].GetProperty("id").GetGuid());
        var shown = Assert.Single(household.GetProperty("stays").EnumerateArray());
        Assert.Equal(stay, shown.GetProperty("stayId").GetGuid());
        Assert.Equal("木城医养中心", shown.GetProperty("centreName").GetString());
        Assert.Equal("Admission", shown.GetProperty("kind").GetString());
        Assert.Equal("Active", shown.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_trial_stay_a_discharged_stay_or_another_households_stay_is_refused()
    {
        var centre = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson(sequence: 22);
        var other = await Api.EligiblePerson(sequence: 23);
        var trial = await Api.OnTrial(centre, person);
        var othersStay = await Api.Admitted(centre, other);

        var onTrial = await Send(HttpMethod.Post, $"/api/households/{person.HouseholdId}/care-agreements", Centralised(trial).ToJsonString());
        var notTheirs = await Send(HttpMethod.Post, $"/api/households/{person.HouseholdId}/care-agreements", Centralised(othersStay).ToJsonString());
        var unknown = await Send(HttpMethod.Post, $"/api/households/{person.HouseholdId}/care-agreements", Centralised(Guid.CreateVersion7()).ToJsonString());

        Assert.Equal(HttpStatusCode.Conflict, onTrial.StatusCode);
        Assert.Contains("active admission", (await Json(onTrial)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, notTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task The_household_view_names_the_caregiver_families_holding_its_agreements()
    {
        var household = await Api.RegisteredHousehold();
        await Api.SignedAgreement(household, Requests.Agreement(CareMode.KinshipCare, caregiver: "张小梅"));

        var family = Assert.Single((await Api.Household(household)).GetProperty("caregiverFamilies").EnumerateArray());

        Assert.Equal("张小梅", family.GetProperty("headName").GetString());
        Assert.Equal(1, family.GetProperty("members").GetInt32());
    }
}

/// <summary>Views that several streams feed must lose nothing when those streams are written at once.</summary>
public sealed class ConcurrentAgreementTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Agreements_signed_at_once_for_one_household_all_show_and_cover_it()
    {
        var household = await Api.RegisteredHousehold();
        CareMode[] modes = [CareMode.KinshipCare, CareMode.NeighbourCare, CareMode.CharityCare, CareMode.AssignedHelperCare,
            CareMode.NeighbourCare, CareMode.KinshipCare];

        var responses = await Task.WhenAll(modes.Select(mode => Send(HttpMethod.Post,
            $"/api/households/{household}/care-agreements",
            Requests.Agreement(mode, kind: mode == CareMode.CharityCare ? CaregiverKind.Organisation : CaregiverKind.Person,
                caregiver: $"照料人{(int)mode}").ToJsonString())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var view = await Api.Household(household);
        Assert.Equal(6, view.GetProperty("agreements").GetArrayLength());
        Assert.Equal(5, view.GetProperty("caregiverFamilies").GetArrayLength());
        var row = (await Api.Send(HttpMethod.Get, "/api/households?covered=true", null)).GetProperty("items")[0];
        Assert.Equal(["AssignedHelperCare", "CharityCare", "KinshipCare", "NeighbourCare"],
            row.GetProperty("modes").EnumerateArray().Select(m => m.GetString()!).Order().ToArray());
    }

    [Fact]
    public async Task A_family_written_while_an_agreement_names_it_keeps_both()
    {
        var household = await Api.RegisteredHousehold();
        var family = await Api.RegisteredFamily();

        var write = Send(HttpMethod.Put, $"/api/caregiver-families/{family}/needs",
            """{ "version": 2, "surveyedOn": "2020-09-20", "needs": ["FinancialLoan"] }""");
        var sign = Send(HttpMethod.Post, $"/api/households/{household}/care-agreements",
            Requests.Agreement(CareMode.NeighbourCare, kind: CaregiverKind.CaregiverFamily, caregiverFamilyId: family).ToJsonString());
        await Task.WhenAll(write, sign);

        Assert.Equal(HttpStatusCode.OK, (await write).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await sign).StatusCode);
        var view = await Api.Family(family);
        Assert.Equal(3, view.GetProperty("version").GetInt32());
        Assert.Equal("FinancialLoan", view.GetProperty("needs").GetProperty("needs")[0].GetString());
        Assert.Single(view.GetProperty("agreements").EnumerateArray());
    }
}

/// <summary>Rules added after the review of the agreement module.</summary>
public sealed class AgreementRuleFixTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_amendment_cannot_end_care_before_it_takes_effect()
    {
        var (_, id) = await Api.HouseholdWithNeighbourAgreement();
        var terms = Requests.Agreement()["terms"]!.DeepClone();
        terms["endsOn"] = "2020-08-31";

        var response = await Send(HttpMethod.Post, $"/api/care-agreements/{id}/amendment",
            new JsonObject { ["version"] = 1, ["effectiveFrom"] = "2020-09-01", ["terms"] = terms }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("terms.endsOn", out _));
    }

    [Fact]
    public async Task A_township_key_cannot_name_another_townships_caregiver_family()
    {
        var household = await Api.RegisteredHousehold();
        var sanyangFamily = await Api.RegisteredFamily(Requests.CaregiverFamily("sanyang"));

        var response = await Send(HttpMethod.Post, $"/api/households/{household}/care-agreements",
            Requests.Agreement(CareMode.NeighbourCare, kind: CaregiverKind.CaregiverFamily, caregiverFamilyId: sanyangFamily).ToJsonString(),
            Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty((await Api.Family(sanyangFamily)).GetProperty("agreements").EnumerateArray());
    }
}
