using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Support;

/// <summary>The development keys of the departments that own care centres and funding rules.</summary>
public static class CentreKeys
{
    public const string CivilAffairs = "dev-civil-affairs";
    public const string DisabledPersonsFederation = "dev-dpf";
}

public static partial class Requests
{
    public static JsonObject CareCentre(string name = "木城医养中心", int beds = 10, string township = "mucheng",
        string basedOn = "NursingHome", string openedOn = "2020-04-01") => new()
    {
        ["name"] = name, ["township"] = township, ["beds"] = beds, ["basedOn"] = basedOn, ["openedOn"] = openedOn,
    };

    /// <summary>A member who may live in a centre: physical disability, grade 1, fully dependent.</summary>
    public static JsonObject Resident(string name = "王大", int sequence = 1, string disabilityType = "Physical",
        int? grade = 1, string dependency = "Full")
    {
        var member = Member(name, Relation.Head, new DateOnly(1950, 3, 15), sequence: sequence);
        member["disabilityType"] = disabilityType;
        member["disabilityGrade"] = grade;
        member["dependencyLevel"] = dependency;
        if (grade is null) member.Remove("disabilityType");
        if (grade is null) member.Remove("disabilityGrade");
        return member;
    }

    public static JsonObject Admission(Guid householdId, Guid memberId, string admittedOn = "2020-09-01") => new()
    {
        ["householdId"] = householdId, ["memberId"] = memberId, ["admittedOn"] = admittedOn,
    };

    public static JsonObject TrialStay(Guid householdId, Guid memberId, string from = "2020-09-20", string until = "2020-10-10") => new()
    {
        ["householdId"] = householdId, ["memberId"] = memberId, ["from"] = from, ["until"] = until,
    };

    /// <summary>The county's 2020 rule: 2,600 / 1,600 / 2,300 yuan a month, shortfall 2 : 1.</summary>
    public static JsonObject FundingRule(string effectiveFrom = "2020-04-01", decimal physical = 2600m,
        decimal psychiatric = 1600m, decimal intellectual = 2300m, decimal dpf = 0m, decimal civilAffairs = 0m) => new()
    {
        ["effectiveFrom"] = effectiveFrom,
        ["monthlyRates"] = new JsonObject { ["Physical"] = physical, ["Psychiatric"] = psychiatric, ["Intellectual"] = intellectual },
        ["pooledFunds"] = new JsonObject { ["disabledPersonsFederation"] = dpf, ["civilAffairs"] = civilAffairs },
        ["countyShare"] = 2,
        ["townshipShare"] = 1,
    };
}

/// <summary>A household member as a centre sees them.</summary>
public sealed record Person(Guid HouseholdId, Guid MemberId);

public sealed partial class Api
{
    /// <summary>Registers a centre with the given beds and answers its id.</summary>
    public async Task<Guid> CentreWithBeds(int beds, string name = "木城医养中心", string township = "mucheng") =>
        (await Send(HttpMethod.Post, "/api/care-centres", Requests.CareCentre(name, beds, township), CentreKeys.CivilAffairs, 201))
        .GetProperty("id").GetGuid();

    /// <summary>Registers a household whose head may live in a centre, and answers them.</summary>
    public async Task<Person> EligiblePerson(string township = "mucheng", int sequence = 1, string disabilityType = "Physical",
        int? grade = 1, string dependency = "Full")
    {
        var householdId = await RegisteredHousehold(
            Requests.Household(township, Requests.Resident("王大", sequence, disabilityType, grade, dependency)));
        var household = await Household(householdId);
        return new Person(householdId, household.GetProperty("members")[0].GetProperty("memberId").GetGuid());
    }

    /// <summary>Admits the person and answers the stay id.</summary>
    public async Task<Guid> Admitted(Guid centreId, Person person, string admittedOn = "2020-09-01") =>
        (await Send(HttpMethod.Post, $"/api/care-centres/{centreId}/admissions",
            Requests.Admission(person.HouseholdId, person.MemberId, admittedOn), CentreKeys.CivilAffairs))
        .GetProperty("stayId").GetGuid();

    /// <summary>Starts a trial stay for the person and answers the stay id.</summary>
    public async Task<Guid> OnTrial(Guid centreId, Person person, string from = "2020-09-20", string until = "2020-10-10") =>
        (await Send(HttpMethod.Post, $"/api/care-centres/{centreId}/trial-stays",
            Requests.TrialStay(person.HouseholdId, person.MemberId, from, until), CentreKeys.CivilAffairs))
        .GetProperty("stayId").GetGuid();

    /// <summary>Reads a centre.</summary>
    public Task<JsonElement> Centre(Guid centreId) => Send(HttpMethod.Get, $"/api/care-centres/{centreId}", null);

    /// <summary>Adopts a funding rule.</summary>
    public Task<JsonElement> AdoptedFundingRule(JsonObject? rule = null) =>
        Send(HttpMethod.Post, "/api/funding-rules", rule ?? Requests.FundingRule(), CentreKeys.DisabledPersonsFederation);
}
