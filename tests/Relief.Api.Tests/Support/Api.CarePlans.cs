using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Support;

public static partial class Requests
{
    public static JsonObject OutreachVisit(int version, Guid memberId, string willingness = "Willing", string visitedOn = "2020-09-02",
        string? note = "想去中心住") => new()
    {
        ["version"] = version,
        ["visitedOn"] = visitedOn,
        ["members"] = new JsonArray(new JsonObject { ["memberId"] = memberId.ToString(), ["willingness"] = willingness }),
        ["note"] = note,
    };

    public static JsonObject Assessment(int version, Guid visitId, Guid memberId, string dependency = "Full", string assessedOn = "2020-09-03") => new()
    {
        ["version"] = version,
        ["visitId"] = visitId.ToString(),
        ["assessedOn"] = assessedOn,
        ["members"] = new JsonArray(new JsonObject { ["memberId"] = memberId.ToString(), ["dependency"] = dependency }),
        ["needs"] = new JsonArray("DailyCare", "Meals"),
    };

    public static JsonObject HomeCare(int version, Guid agreementId, string mode = "NeighbourCare", string chosenOn = "2020-09-03") => new()
    {
        ["version"] = version,
        ["chosenOn"] = chosenOn,
        ["care"] = new JsonArray(new JsonObject { ["mode"] = mode, ["agreementId"] = agreementId.ToString() }),
    };

    public static JsonObject Cadre(int version, string name = "王建国", string phone = "13912345678", string assignedOn = "2020-09-03") => new()
    {
        ["version"] = version, ["name"] = name, ["phone"] = phone, ["assignedOn"] = assignedOn,
    };

    public static JsonObject Activation(int version, string activatedOn = "2020-09-05", string nextReviewOn = "2021-03-05") => new()
    {
        ["version"] = version, ["activatedOn"] = activatedOn, ["nextReviewOn"] = nextReviewOn,
    };
}

/// <summary>A plan put in force by <see cref="Api.ActivePlan"/>: its household, the member visited, the agreement it rests on, its version.</summary>
public sealed record PlanInForce(Guid Plan, Guid Household, Guid Member, Guid Agreement, Guid Visit, Guid Cadre, int Version);

public sealed partial class Api
{
    /// <summary>Drafts the household's plan and answers its id.</summary>
    public async Task<Guid> DraftedPlan(Guid householdId, string key = Keys.PovertyOffice, string draftedOn = "2020-09-01") =>
        (await Send(HttpMethod.Post, $"/api/households/{householdId}/care-plan", new JsonObject { ["draftedOn"] = draftedOn }, key, 201))
        .GetProperty("id").GetGuid();

    public Task<JsonElement> Plan(Guid planId, string key = Keys.PovertyOffice) => Send(HttpMethod.Get, $"/api/care-plans/{planId}", null, key);

    /// <summary>POSTs to a plan's route and answers the response.</summary>
    public Task<JsonElement> OnPlan(Guid planId, string route, JsonNode body, string key = Keys.PovertyOffice, int expectedStatus = 200) =>
        Send(HttpMethod.Post, $"/api/care-plans/{planId}/{route}", body, key, expectedStatus);

    /// <summary>
    /// A household (of <paramref name="township"/>) under neighbour care whose plan is in force: drafted on
    /// 2020-09-01, visited 09-02, assessed and its care and cadre chosen 09-03, activated 09-05, to be
    /// reviewed by <paramref name="nextReviewOn"/>.
    /// </summary>
    public async Task<PlanInForce> ActivePlan(string township = "mucheng", string nextReviewOn = "2021-03-05")
    {
        var (household, agreement) = await HouseholdWithNeighbourAgreement(township);
        var member = (await Household(household)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        var plan = await DraftedPlan(household);
        var visit = (await OnPlan(plan, "outreach-visits", Requests.OutreachVisit(1, member))).GetProperty("visitId").GetGuid();
        await OnPlan(plan, "assessment", Requests.Assessment(2, visit, member));
        await OnPlan(plan, "care", Requests.HomeCare(3, agreement));
        var cadre = (await OnPlan(plan, "cadre", Requests.Cadre(4))).GetProperty("cadreId").GetGuid();
        await OnPlan(plan, "activation", Requests.Activation(5, nextReviewOn: nextReviewOn));
        return new PlanInForce(plan, household, member, agreement, visit, cadre, 6);
    }
}
