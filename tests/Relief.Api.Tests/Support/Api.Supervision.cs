using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Support;

public static partial class Requests
{
    /// <summary>A training class of electricians in 木城街道 for the given seats.</summary>
    public static JsonObject TrainingClass(int capacity = 30, string startsOn = "2020-09-20", string endsOn = "2020-10-20",
        string trade = "Electrician") => new()
    {
        ["trade"] = trade,
        ["title"] = "2020年第三期电工培训班",
        ["provider"] = "武陟县职业培训中心",
        ["township"] = "mucheng",
        ["startsOn"] = startsOn,
        ["endsOn"] = endsOn,
        ["capacity"] = capacity,
    };

    public static JsonObject Enrolment(Guid familyId, Guid memberId) => new()
    {
        ["caregiverFamilyId"] = familyId.ToString(),
        ["memberId"] = memberId.ToString(),
    };

    public static JsonObject Placement(Guid familyId, Guid memberId, string channel = "EnterpriseMatching",
        string placedOn = "2020-09-28") => new()
    {
        ["caregiverFamilyId"] = familyId.ToString(),
        ["memberId"] = memberId.ToString(),
        ["channel"] = channel,
        ["employer"] = "武陟县宏达电气有限公司",
        ["placedOn"] = placedOn,
    };

    public static JsonObject Meeting(string township = "mucheng", params Guid[] families) => new()
    {
        ["heldOn"] = "2020-09-25",
        ["place"] = "木城街道办事处礼堂",
        ["township"] = township,
        ["attendance"] = 200,
        ["familiesHonoured"] = new JsonArray(families.Select(f => (JsonNode)f.ToString()).ToArray()),
    };

    public static JsonObject Inspection(string township = "mucheng", Guid? householdId = null, string inspectedOn = "2020-09-15",
        params (string Action, string DueOn, string Owner)[] followUps) => new()
    {
        ["householdId"] = householdId?.ToString(),
        ["township"] = township,
        ["inspector"] = "Media",
        ["inspectedOn"] = inspectedOn,
        ["findings"] = "院内卫生较差，被褥未及时换洗。",
        ["followUps"] = new JsonArray(followUps.Select(f => (JsonNode)new JsonObject
        {
            ["action"] = f.Action, ["dueOn"] = f.DueOn, ["owner"] = f.Owner,
        }).ToArray()),
    };

    /// <summary>An evaluation for 2020-Q3 with every item at <paramref name="each"/> and the mental state at <paramref name="mental"/>.</summary>
    public static JsonObject Evaluation(int each = 4, int? mental = null, string period = "2020-Q3") => new()
    {
        ["period"] = period,
        ["evaluator"] = "木城街道评比小组",
        ["qualityOfLife"] = new JsonObject
        {
            ["housing"] = each, ["food"] = each, ["hygiene"] = each, ["health"] = each, ["companionship"] = each,
        },
        ["mentalState"] = mental ?? each,
    };
}

/// <summary>Development keys the supervision tests use besides <see cref="Keys"/>.</summary>
public static class SupervisionKeys
{
    /// <summary>人社: owns training and employment (policies:write) but not recognition, inspections or evaluations.</summary>
    public const string Hrss = Keys.Hrss;

    /// <summary>卫健: has policies:write but owns no training.</summary>
    public const string Health = "dev-health";

    /// <summary>慈善总会: owns recognition, but holds no supervision:write scope.</summary>
    public const string Charity = "dev-charity";
}

/// <summary>A caregiver-family member: the family and the member.</summary>
public sealed record Trainee(Guid FamilyId, Guid MemberId);

public sealed partial class Api
{
    /// <summary>Schedules a class and answers its id.</summary>
    public async Task<Guid> ScheduledClass(int capacity = 30, string key = Keys.Hrss) =>
        (await Send(HttpMethod.Post, "/api/training-classes", Requests.TrainingClass(capacity), key, 201)).GetProperty("id").GetGuid();

    /// <summary>The head of a caregiver family in the eligibility chain (a kinship agreement in force), as a trainee; <paramref name="sequence"/> keeps resident IDs apart.</summary>
    public async Task<Trainee> FamilyHead(string township = "mucheng", int sequence = 21, string name = "李四")
    {
        var family = await QualifiedFamily(Requests.CaregiverFamily(township, Requests.FamilyMember(name, sequence: sequence)));
        return new Trainee(family, await FamilyMemberId(family, name));
    }

    /// <summary>Enrols a trainee and answers the enrolment id.</summary>
    public async Task<Guid> Enrolled(Guid classId, Trainee trainee, string key = Keys.Hrss) =>
        (await Send(HttpMethod.Post, $"/api/training-classes/{classId}/enrolments", Requests.Enrolment(trainee.FamilyId, trainee.MemberId),
            key)).GetProperty("enrolmentId").GetGuid();

    public Task<JsonElement> TrainingClass(Guid classId) => Send(HttpMethod.Get, $"/api/training-classes/{classId}", null);

    /// <summary>Records an inspection and answers its id.</summary>
    public async Task<Guid> RecordedInspection(JsonObject? body = null, string key = Keys.PovertyOffice) =>
        (await Send(HttpMethod.Post, "/api/inspections",
            body ?? Requests.Inspection(followUps: ("换洗被褥", "2020-09-30", "CivilAffairs")), key, 201)).GetProperty("id").GetGuid();

    /// <summary>A household with a neighbour-care agreement (2020-04-01 to 2021-03-31) whose caregiver family was made on signing.</summary>
    public async Task<(Guid Household, Guid Agreement, Guid Family)> CaredForHousehold(string township = "mucheng")
    {
        var (household, agreement) = await HouseholdWithNeighbourAgreement(township);
        var family = (await Agreement(agreement)).GetProperty("caregiver").GetProperty("caregiverFamilyId").GetGuid();
        return (household, agreement, family);
    }

    /// <summary>Evaluates a household and answers the evaluation id.</summary>
    public async Task<Guid> Evaluated(Guid householdId, JsonObject? body = null, string key = Keys.PovertyOffice) =>
        (await Send(HttpMethod.Post, $"/api/households/{householdId}/evaluations", body ?? Requests.Evaluation(), key, 201))
        .GetProperty("id").GetGuid();
}
