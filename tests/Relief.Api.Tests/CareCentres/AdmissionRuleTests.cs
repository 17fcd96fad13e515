using System.Text.Json.Nodes;
using Marten;
using Relief.Api.CareCentres;

namespace Relief.Api.Tests.CareCentres;

/// <summary>
/// Admission as the seed says, as dated rules: the rule in force on the stay's date decides who is
/// admitted and who may try a stay; an exception only by the owner of admission exceptions, with a reason.
/// </summary>
public sealed class AdmissionRuleTests(AppFixture fixture) : ApiTest(fixture)
{
    private static JsonObject Rule(string effectiveFrom, int[] admissionGrades, string[] admissionLevels) => new()
    {
        ["effectiveFrom"] = effectiveFrom,
        ["admission"] = new JsonObject
        {
            ["disabilityGrades"] = new JsonArray(admissionGrades.Select(g => (JsonNode)g).ToArray()),
            ["dependencyLevels"] = new JsonArray(admissionLevels.Select(l => (JsonNode)l).ToArray()),
        },
        ["trialStay"] = new JsonObject
        {
            ["disabilityGrades"] = new JsonArray(1, 2),
            ["dependencyLevels"] = new JsonArray("Partial", "Full"),
        },
    };

    private static JsonObject WithException(JsonObject body, string reason = "独居无人照料，县扶贫办特批")
    {
        body["exception"] = new JsonObject { ["reason"] = reason };
        return body;
    }

    [Fact]
    public async Task An_adopted_rule_decides_from_its_date_and_earlier_days_keep_the_seeds()
    {
        var centre = await Api.CentreWithBeds(5);
        var partly = await Api.EligiblePerson(sequence: 1, grade: null, dependency: "Partial");
        var saved = await Api.Send(HttpMethod.Post, "/api/admission-rules", Rule("2020-09-10", [1, 2], ["Full", "Partial"]),
            CentreKeys.DisabledPersonsFederation);

        var before = await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/admissions",
            Requests.Admission(partly.HouseholdId, partly.MemberId, "2020-09-09"), CentreKeys.CivilAffairs, 409);
        await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/admissions",
            Requests.Admission(partly.HouseholdId, partly.MemberId, "2020-09-10"), CentreKeys.CivilAffairs);

        Assert.Equal(1, saved.GetProperty("version").GetInt32());
        Assert.Contains("the seed's rule", before.GetProperty("detail").GetString());
        var rules = await Api.Send(HttpMethod.Get, "/api/admission-rules", null);
        Assert.Equal(2, rules.GetArrayLength());
        Assert.False(rules[0].TryGetProperty("ruleId", out var seedId) && seedId.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal("2020-09-10", rules[1].GetProperty("effectiveFrom").GetString());
    }

    [Fact]
    public async Task Rules_are_adopted_by_their_owners_later_than_the_last_and_well_formed()
    {
        await Api.Send(HttpMethod.Post, "/api/admission-rules", Rule("2020-09-10", [1, 2], []), PolicyKeys.Bank, 403);
        var bad = await Api.Send(HttpMethod.Post, "/api/admission-rules", Rule("2020-09-10", [0, 2, 2], ["None"]),
            CentreKeys.CivilAffairs, 400);
        var empty = await Api.Send(HttpMethod.Post, "/api/admission-rules", Rule("2020-09-10", [], []), CentreKeys.CivilAffairs, 400);
        await Api.Send(HttpMethod.Post, "/api/admission-rules", Rule("2020-09-10", [1, 2], []), CentreKeys.CivilAffairs);
        var notLater = await Api.Send(HttpMethod.Post, "/api/admission-rules", Rule("2020-09-10", [1], []), CentreKeys.CivilAffairs, 409);

        Assert.True(bad.GetProperty("errors").TryGetProperty("admission.disabilityGrades", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("admission.dependencyLevels", out _));
        Assert.True(empty.GetProperty("errors").TryGetProperty("admission", out _));
        Assert.Contains("2020-09-10", notLater.GetProperty("detail").GetString());
        await using var session = Store.QuerySession();
        Assert.Single((await session.Events.AggregateStreamAsync<AdmissionRules>(AdmissionRules.StreamId))!.Rules);
    }

    [Fact]
    public async Task The_poverty_office_admits_by_exception_with_a_reason_and_the_stay_shows_it()
    {
        var centre = await Api.CentreWithBeds(5);
        var partly = await Api.EligiblePerson(sequence: 1, grade: null, dependency: "Partial");
        var body = WithException(Requests.Admission(partly.HouseholdId, partly.MemberId));

        var forbidden = await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/admissions", body, CentreKeys.CivilAffairs, 403);
        var noReason = await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/admissions",
            WithException(Requests.Admission(partly.HouseholdId, partly.MemberId), ""), Keys.PovertyOffice, 400);
        var admitted = await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/admissions", body, Keys.PovertyOffice);

        Assert.Contains("PovertyAlleviationOffice", forbidden.GetProperty("detail").GetString());
        Assert.True(noReason.GetProperty("errors").TryGetProperty("exception.reason", out _));
        Assert.Equal(3, admitted.GetProperty("version").GetInt32());
        var stay = Assert.Single((await Api.Household(partly.HouseholdId)).GetProperty("stays").EnumerateArray());
        Assert.Equal(("独居无人照料，县扶贫办特批", "PovertyAlleviationOffice"),
            (stay.GetProperty("exception").GetProperty("reason").GetString(), stay.GetProperty("exception").GetProperty("grantedBy").GetString()));
    }

    [Fact]
    public async Task A_trial_stay_converts_into_an_admission_only_as_the_rule_admits()
    {
        var centre = await Api.CentreWithBeds(5);
        var partly = await Api.EligiblePerson(sequence: 1, grade: null, dependency: "Partial");
        var trial = await Api.OnTrial(centre, partly);
        var conversion = $"/api/care-centres/{centre}/trial-stays/{trial}/conversion";

        var refused = await Api.Send(HttpMethod.Post, conversion, new JsonObject { ["admittedOn"] = "2020-09-25" }, CentreKeys.CivilAffairs, 409);
        var converted = await Api.Send(HttpMethod.Post, conversion,
            WithException(new JsonObject { ["admittedOn"] = "2020-09-25" }), Keys.PovertyOffice);

        Assert.Equal("urn:relief:problem:not-admissible", refused.GetProperty("type").GetString());
        var stays = (await Api.Household(partly.HouseholdId)).GetProperty("stays").EnumerateArray().ToList();
        var admission = stays.Single(s => s.GetProperty("stayId").GetGuid() == converted.GetProperty("stayId").GetGuid());
        Assert.Equal("Admission", admission.GetProperty("kind").GetString());
        Assert.Equal("2020-09-25", admission.GetProperty("exception").GetProperty("grantedOn").GetString());
    }
}
