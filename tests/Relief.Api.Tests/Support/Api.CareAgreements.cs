using System.Text.Json;
using System.Text.Json.Nodes;
using Relief.Api.CareAgreements;

namespace Relief.Api.Tests.Support;

public static partial class Requests
{
    public static JsonObject Agreement(CareMode mode = CareMode.NeighbourCare, string startsOn = "2020-04-01",
        string? endsOn = "2021-03-31", CaregiverKind kind = CaregiverKind.Person, string caregiver = "李大娘",
        Guid? caregiverFamilyId = null, Guid? centreStayId = null, string signedOn = "2020-04-01")
    {
        var body = new JsonObject
        {
            ["mode"] = mode.ToString(),
            ["caregiver"] = new JsonObject
            {
                ["kind"] = kind.ToString(),
                ["name"] = kind == CaregiverKind.CaregiverFamily ? null : caregiver,
                ["caregiverFamilyId"] = caregiverFamilyId?.ToString(),
            },
            ["terms"] = new JsonObject
            {
                ["startsOn"] = startsOn,
                ["endsOn"] = endsOn,
                ["duties"] = new JsonArray("daily visit", "meals", "accompany to the clinic"),
                ["monthlySubsidy"] = 300.00m,
                ["assetClauses"] = new JsonArray(),
            },
            ["signedOn"] = signedOn,
        };
        if (centreStayId is not null) body["centreStayId"] = centreStayId.ToString();
        return body;
    }
}

public sealed partial class Api
{
    /// <summary>Signs an agreement for the household and answers its id.</summary>
    public async Task<Guid> SignedAgreement(Guid householdId, JsonObject? body = null, string key = Keys.PovertyOffice) =>
        (await Send(HttpMethod.Post, $"/api/households/{householdId}/care-agreements", body ?? Requests.Agreement(), key, 201))
        .GetProperty("id").GetGuid();

    /// <summary>A registered household covered by a neighbour-care agreement: (household, agreement).</summary>
    public async Task<(Guid Household, Guid Agreement)> HouseholdWithNeighbourAgreement(string township = "mucheng")
    {
        var household = await RegisteredHousehold(Requests.Household(township));
        return (household, await SignedAgreement(household));
    }

    public Task<JsonElement> Agreement(Guid agreementId, string key = Keys.PovertyOffice) =>
        Send(HttpMethod.Get, $"/api/care-agreements/{agreementId}", null, key);
}
