using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Relief.Api.Tests.Uploads.Spreadsheets;

namespace Relief.Api.Tests.Uploads;

/// <summary>Members of existing households, from a spreadsheet or a JSON batch: one decider, all or nothing.</summary>
public sealed class MemberUploadTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly string[] Headers =
        ["户编号", "姓名", "身份证号", "与户主关系", "出生日期", "性别", "联系电话", "残疾类别", "残疾等级", "失能程度"];

    private static string[] Row(Guid household, string name, string residentId, string relation = "配偶", string birth = "1952-06-01") =>
        [household.ToString(), name, residentId, relation, birth, "女", "13912345678", "肢残", "2", "半失能"];

    private static string Id(int sequence, string birth = "1952-06-01") => Requests.ResidentId(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), sequence);

    private async Task<Guid> Household(string township = "mucheng") => await Api.RegisteredHousehold(Requests.Household(township));

    private static List<JsonElement> Members(JsonElement household) => household.GetProperty("members").EnumerateArray().ToList();

    [Fact]
    public async Task A_members_spreadsheet_adds_each_row_to_its_household_sealed_as_a_single_addition_is()
    {
        var first = await Household();
        var second = await Household();

        var response = await Upload(Host, "household-members",
            Utf8Csv(Headers, Row(first, "李桂兰", Id(21)), Row(second, "周大山", Id(22, "2010-01-05"), "孙子女", "2010/1/5")), "text/csv");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var rows = JsonDocument.Parse(text).RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([2, 3], rows.Select(r => r.GetProperty("row").GetInt32()));
        // Each household was registered with its head (version 2); the row added one member.
        Assert.All(rows, r => Assert.Equal(3, r.GetProperty("version").GetInt32()));

        var added = Members(await Api.Household(first)).Single(m => m.GetProperty("name").GetString() == "李桂兰");
        Assert.Equal("Spouse", added.GetProperty("relation").GetString());
        Assert.Equal("Partial", added.GetProperty("dependencyLevel").GetString());
        Assert.Equal(2, added.GetProperty("disabilityGrade").GetInt32());
        Assert.Equal(rows[0].GetProperty("id").GetGuid(), added.GetProperty("memberId").GetGuid());
        Assert.EndsWith(Id(21)[^4..], added.GetProperty("residentId").GetString());
        var grandchild = Members(await Api.Household(second)).Single(m => m.GetProperty("name").GetString() == "周大山");
        Assert.Equal("Grandchild", grandchild.GetProperty("relation").GetString());

        // Sealed as a single addition is: the store holds no name or ID in clear.
        var raw = await StoredEvents();
        Assert.DoesNotContain("李桂兰", raw);
        Assert.DoesNotContain(Id(21), raw);
    }

    [Fact]
    public async Task A_bad_ID_an_unknown_household_and_a_second_head_are_refused_row_by_row_without_echoing_the_ID()
    {
        var household = await Household();
        var badId = Id(31)[..17] + (Id(31)[17] == '0' ? "1" : "0");
        var unknown = Guid.CreateVersion7();

        var response = await Upload(Host, "household-members", Workbook(
            [.. Headers],
            [.. Row(household, "李桂兰", badId)],
            [.. Row(unknown, "周大山", Id(32))],
            [.. Row(household, "王二", Id(33), "户主")],
            [.. Row(household, "王三", Id(34), "子女", "一九五二年")]), Xlsx);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        Assert.DoesNotContain(badId, text);
        var problem = JsonDocument.Parse(text).RootElement;
        var rows = problem.GetProperty("rows").EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal("Refused", r.GetProperty("outcome").GetString()));
        Assert.Equal(404, rows[1].GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("field").GetString())).ToList();
        Assert.Contains((2, "身份证号", "member.residentId"), errors);
        Assert.Contains((4, "与户主关系", "member.relation"), errors);
        Assert.Contains((5, "出生日期", "member.birthDate"), errors);
        Assert.Single(Members(await Api.Household(household)));
    }

    [Fact]
    public async Task Two_heads_for_one_household_in_one_upload_refuse_the_second_row()
    {
        var household = await Api.RegisteredHousehold(Requests.Household("mucheng", Requests.Member("李桂兰", Relation.Spouse)));

        var response = await Upload(Host, "household-members",
            Utf8Csv(Headers, Row(household, "王二", Id(51), "户主"), Row(household, "王三", Id(52), "户主")), "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal(["Valid", "Refused"], problem.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal((3, "member.relation"), (error.GetProperty("row").GetInt32(), error.GetProperty("field").GetString()));
        Assert.Single(Members(await Api.Household(household)));
    }

    [Fact]
    public async Task A_stale_household_version_refuses_its_row_with_409()
    {
        var household = await Household();
        string[] headers = ["户编号", "户版本", "姓名", "与户主关系", "出生日期", "性别"];

        var response = await Upload(Host, "household-members",
            Utf8Csv(headers, [household.ToString(), "1", "李桂兰", "配偶", "1952-06-01", "女"]), "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var row = (await Json(response)).GetProperty("rows")[0];
        Assert.Equal(409, row.GetProperty("status").GetInt32());
        Assert.Equal("urn:relief:problem:concurrency-conflict", row.GetProperty("type").GetString());
        Assert.Single(Members(await Api.Household(household)));
    }

    [Fact]
    public async Task The_JSON_batch_is_the_same_path_all_or_nothing_with_each_records_outcome()
    {
        var household = await Household();
        JsonObject Record(string name, int sequence, Relation relation = Relation.Spouse) => new()
        {
            ["householdId"] = household.ToString(), ["version"] = 2,
            ["member"] = Requests.Member(name, relation, new DateOnly(1952, 6, 1), sequence: sequence),
        };

        var refused = await Send(HttpMethod.Post, "/api/household-members/batch",
            new JsonObject { ["members"] = new JsonArray(Record("李桂兰", 41), Record("李桂兰", 41)) }.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var outcomes = (await Json(refused)).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString());
        Assert.Equal(["Valid", "Refused"], outcomes);
        Assert.Single(Members(await Api.Household(household)));

        var written = await Send(HttpMethod.Post, "/api/household-members/batch",
            new JsonObject { ["members"] = new JsonArray(Record("李桂兰", 41), Record("王小二", 42, Relation.Child)) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        var members = (await Json(written)).GetProperty("members").EnumerateArray().ToList();
        // Both went to one household, version 2: each answers the version the batch left it at.
        Assert.All(members, m => Assert.Equal(4, m.GetProperty("version").GetInt32()));
        Assert.Equal(3, Members(await Api.Household(household)).Count);
    }
}
