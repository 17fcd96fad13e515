using System.Net;
using System.Text.Json.Nodes;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Tests.CaregiverFamilies;

public sealed class CaregiverFamilyMemberTests(AppFixture fixture) : ApiTest(fixture)
{
    private static string Body(int version, JsonObject member) =>
        new JsonObject { ["version"] = version, ["member"] = member }.ToJsonString();

    private static JsonObject Child(string name = "李小明", int sequence = 23) =>
        Requests.FamilyMember(name, Relation.Child, new DateOnly(1992, 7, 1), sequence: sequence, phone: null);

    [Fact]
    public async Task Members_are_added_changed_and_removed_each_at_the_next_version()
    {
        var id = await Api.RegisteredFamily();

        var added = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members", Body(2, Child()));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var saved = await Json(added);
        var memberId = saved.GetProperty("memberId").GetGuid();
        Assert.Equal((id, 3), (saved.GetProperty("familyId").GetGuid(), saved.GetProperty("version").GetInt32()));

        var changed = await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/members/{memberId}", Body(3, Child("李明")));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var family = await Api.Family(id);
        Assert.Equal(4, family.GetProperty("version").GetInt32());
        Assert.Contains(family.GetProperty("members").EnumerateArray(), m => m.GetProperty("name").GetString() == "李明");

        var removed = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members/{memberId}/removal",
            """{ "version": 4, "reason": "外出务工，迁出户籍" }""");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        family = await Api.Family(id);
        Assert.Equal(5, family.GetProperty("version").GetInt32());
        Assert.Equal(1, family.GetProperty("memberCount").GetInt32());
    }

    [Fact]
    public async Task Changing_the_head_s_name_changes_the_family_s_head_name()
    {
        var id = await Api.RegisteredFamily();
        var headId = await Api.FamilyMemberId(id, "李四");

        await Api.Send(HttpMethod.Put, $"/api/caregiver-families/{id}/members/{headId}",
            JsonNode.Parse(Body(2, Requests.FamilyMember("李四芳"))));

        Assert.Equal("李四芳", (await Api.Family(id)).GetProperty("headName").GetString());
    }

    [Fact]
    public async Task A_stale_version_is_a_409_and_changes_nothing()
    {
        var id = await Api.RegisteredFamily();

        var response = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members", Body(1, Child()));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(2, (await Api.Family(id)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_missing_version_member_or_a_second_head_is_a_400()
    {
        var id = await Api.RegisteredFamily();

        var noVersion = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members",
            new JsonObject { ["member"] = Child() }.ToJsonString());
        var noMember = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members", """{ "version": 2 }""");
        var secondHead = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members",
            Body(2, Requests.FamilyMember("王五", sequence: 40)));

        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.True((await Json(noVersion)).GetProperty("errors").TryGetProperty("version", out _));
        Assert.Equal(HttpStatusCode.BadRequest, noMember.StatusCode);
        Assert.True((await Json(noMember)).GetProperty("errors").TryGetProperty("member", out _));
        Assert.Equal(HttpStatusCode.BadRequest, secondHead.StatusCode);
        Assert.True((await Json(secondHead)).GetProperty("errors").TryGetProperty("member.relation", out _));
    }

    [Fact]
    public async Task Unknown_families_members_and_ids_of_other_streams_are_404()
    {
        var id = await Api.RegisteredFamily();
        var household = await Api.RegisteredHousehold();

        var noFamily = await Send(HttpMethod.Post, $"/api/caregiver-families/{Guid.CreateVersion7()}/members", Body(1, Child()));
        var aHousehold = await Send(HttpMethod.Post, $"/api/caregiver-families/{household}/members", Body(2, Child()));
        var noMember = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members/{Guid.CreateVersion7()}/removal",
            """{ "version": 2, "reason": "error" }""");
        var changeNoMember = await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/members/{Guid.CreateVersion7()}", Body(2, Child()));

        Assert.Equal(HttpStatusCode.NotFound, noFamily.StatusCode);
        Assert.Equal("urn:relief:problem:not-found", (await Json(noFamily)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, aHousehold.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMember.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, changeNoMember.StatusCode);
    }

    [Fact]
    public async Task The_head_cannot_be_removed()
    {
        var id = await Api.RegisteredFamily();
        var headId = await Api.FamilyMemberId(id, "李四");

        var response = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members/{headId}/removal",
            """{ "version": 2, "reason": "去世" }""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("urn:relief:problem:conflict", (await Json(response)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_township_key_cannot_change_another_township_s_family_nor_may_a_non_owner()
    {
        var id = await Api.RegisteredFamily(Requests.CaregiverFamily("sanyang"));

        var township = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members", Body(2, Child()), Keys.Mucheng);
        var civilAffairs = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members", Body(2, Child()), FamilyKeys.CivilAffairs);

        Assert.Equal(HttpStatusCode.Forbidden, township.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, civilAffairs.StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members", Body(2, Child()), Keys.Sanyang)).StatusCode);
    }

    [Fact]
    public async Task Erasing_one_member_forgets_that_person_only_and_nothing_personal_is_recorded_for_them_again()
    {
        var id = await Api.RegisteredFamily();
        var added = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members", Body(2, Child()));
        var child = (await Json(added)).GetProperty("memberId").GetGuid();

        var erased = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members/{child}/personal-data/erasure",
            """{ "version": 3, "reason": "PIPL erasure request 2020-21" }""");
        var again = await Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members/{child}/personal-data/erasure",
            """{ "version": 4, "reason": "twice" }""");
        var changed = await Send(HttpMethod.Put, $"/api/caregiver-families/{id}/members/{child}", Body(4, Child()));

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        var members = (await Api.Family(id)).GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(("Revealed", "李四"), (members[0].GetProperty("personalData").GetString(), members[0].GetProperty("name").GetString()));
        Assert.Equal(("Erased", "[erased]"), (members[1].GetProperty("personalData").GetString(), members[1].GetProperty("name").GetString()));
        Assert.False(members[1].TryGetProperty("residentId", out _));
        await using var session = Store.QuerySession();
        Assert.Null(await session.LoadAsync<PersonDataKey>(child));
    }

    [Fact]
    public async Task Once_the_family_s_own_key_is_gone_its_view_says_erased()
    {
        var id = await Api.RegisteredFamily();
        await using (var session = Store.LightweightSession())
        {
            session.Delete<HouseholdDataKey>(id);
            await session.SaveChangesAsync();
        }

        Assert.Equal("Erased", (await Api.Family(id)).GetProperty("personalData").GetString());
    }
}
