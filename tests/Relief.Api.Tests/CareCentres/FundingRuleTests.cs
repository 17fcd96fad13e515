using System.Net;
using System.Text.Json;

namespace Relief.Api.Tests.CareCentres;

public sealed class FundingRuleTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<(Guid CentreId, Guid StayId)> Resident(string disabilityType = "Physical", string admittedOn = "2020-09-01")
    {
        var centreId = await Api.CentreWithBeds(5);
        var stayId = await Api.Admitted(centreId, await Api.EligiblePerson(disabilityType: disabilityType), admittedOn);
        return (centreId, stayId);
    }

    private Task<JsonElement> Cost(Guid centreId, Guid stayId, string month, int status = 200) =>
        Api.Send(HttpMethod.Get, $"/api/care-centres/{centreId}/residents/{stayId}/cost?month={month}", null, Keys.Auditor, status);

    [Fact]
    public async Task Adopted_rules_are_listed_oldest_first()
    {
        await Api.AdoptedFundingRule();
        await Api.AdoptedFundingRule(Requests.FundingRule("2021-01-01", physical: 2800m));

        var rules = await Api.Send(HttpMethod.Get, "/api/funding-rules", null, Keys.Auditor);

        Assert.Equal(["2020-04-01", "2021-01-01"], rules.EnumerateArray().Select(r => r.GetProperty("effectiveFrom").GetString()));
        Assert.Equal(2600m, rules[0].GetProperty("monthlyRates").GetProperty("Physical").GetDecimal());
        Assert.Equal(2, rules[0].GetProperty("countyShare").GetInt32());
    }

    [Fact]
    public async Task A_physically_disabled_resident_costs_2600_a_month_split_two_to_one()
    {
        await Api.AdoptedFundingRule();
        var (centreId, stayId) = await Resident();

        var cost = await Cost(centreId, stayId, "2020-10");

        Assert.Equal("2020-10", cost.GetProperty("month").GetString());
        Assert.Equal("Physical", cost.GetProperty("disabilityType").GetString());
        Assert.Equal("mucheng", cost.GetProperty("township").GetString());
        Assert.Equal(2600m, cost.GetProperty("monthlyRate").GetDecimal());
        Assert.Equal(2600m, cost.GetProperty("shortfall").GetDecimal());
        Assert.Equal(1733.33m, cost.GetProperty("countyPays").GetDecimal());
        Assert.Equal(866.67m, cost.GetProperty("townshipPays").GetDecimal());
    }

    [Fact]
    public async Task A_new_rule_applies_from_its_month_while_earlier_months_keep_the_old_rate()
    {
        await Api.AdoptedFundingRule();
        var (centreId, stayId) = await Resident("Psychiatric");
        await Api.AdoptedFundingRule(Requests.FundingRule("2021-01-01", psychiatric: 1800m));

        var december = await Cost(centreId, stayId, "2020-12");
        var january = await Cost(centreId, stayId, "2021-01");

        Assert.Equal(1600m, december.GetProperty("monthlyRate").GetDecimal());
        Assert.Equal("2020-04-01", december.GetProperty("ruleEffectiveFrom").GetString());
        Assert.Equal(1800m, january.GetProperty("monthlyRate").GetDecimal());
        Assert.Equal(1200m, january.GetProperty("countyPays").GetDecimal());
        Assert.Equal(600m, january.GetProperty("townshipPays").GetDecimal());
    }

    [Fact]
    public async Task Pooled_funds_are_paid_first_and_only_the_shortfall_is_split()
    {
        await Api.AdoptedFundingRule(Requests.FundingRule(intellectual: 2300m, dpf: 300m, civilAffairs: 200m));
        var (centreId, stayId) = await Resident("Intellectual");

        var cost = await Cost(centreId, stayId, "2020-09");

        Assert.Equal(500m, cost.GetProperty("pooled").GetDecimal());
        Assert.Equal(1800m, cost.GetProperty("shortfall").GetDecimal());
        Assert.Equal(1200m, cost.GetProperty("countyPays").GetDecimal());
        Assert.Equal(600m, cost.GetProperty("townshipPays").GetDecimal());
    }

    [Fact]
    public async Task A_rule_starts_on_the_first_of_a_month_after_every_earlier_rule()
    {
        await Api.AdoptedFundingRule();

        var midMonth = await Api.Send(HttpMethod.Post, "/api/funding-rules", Requests.FundingRule("2021-01-15"), CentreKeys.CivilAffairs, 400);
        var earlier = await Api.Send(HttpMethod.Post, "/api/funding-rules", Requests.FundingRule("2020-01-01"), CentreKeys.CivilAffairs, 409);
        var badRate = await Api.Send(HttpMethod.Post, "/api/funding-rules", Requests.FundingRule("2021-01-01", physical: -1m), CentreKeys.CivilAffairs, 400);

        Assert.True(midMonth.GetProperty("errors").TryGetProperty("effectiveFrom", out _));
        Assert.Equal("urn:relief:problem:conflict", earlier.GetProperty("type").GetString());
        Assert.True(badRate.GetProperty("errors").TryGetProperty("monthlyRates.Physical", out _));
    }

    [Fact]
    public async Task Only_owning_departments_with_the_centres_scope_adopt_rules()
    {
        var response = await Send(HttpMethod.Post, "/api/funding-rules", Requests.FundingRule().ToJsonString(), Keys.Hrss);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_cost_needs_a_month_a_rule_an_admission_and_a_stay_in_that_month()
    {
        var (centreId, stayId) = await Resident(admittedOn: "2020-09-10");
        var noRule = await Cost(centreId, stayId, "2020-09", 409);
        await Api.AdoptedFundingRule();
        var trialId = await Api.OnTrial(centreId, await Api.EligiblePerson(sequence: 2));

        var badMonth = await Cost(centreId, stayId, "2020-9x", 400);
        var beforeAdmission = await Cost(centreId, stayId, "2020-08", 409);
        var firstMonth = await Cost(centreId, stayId, "2020-09");
        var trial = await Cost(centreId, trialId, "2020-09", 409);
        var unknown = await Cost(centreId, Guid.CreateVersion7(), "2020-09", 404);

        Assert.Contains("No funding rule applies on 2020-09-01", noRule.GetProperty("detail").GetString());
        Assert.True(badMonth.GetProperty("errors").TryGetProperty("month", out _));
        Assert.Equal("urn:relief:problem:conflict", beforeAdmission.GetProperty("type").GetString());
        Assert.Equal(2600m, firstMonth.GetProperty("monthlyRate").GetDecimal());
        Assert.Equal("Trial stays are free.", trial.GetProperty("title").GetString());
        Assert.Equal("urn:relief:problem:not-found", unknown.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_type_without_a_rate_is_a_409_naming_the_rates()
    {
        await Api.AdoptedFundingRule();
        var (centreId, stayId) = await Resident("Visual");

        var cost = await Cost(centreId, stayId, "2020-10", 409);

        Assert.Contains("Visual", cost.GetProperty("detail").GetString());
    }
}
