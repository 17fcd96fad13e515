using System.Net;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Households;

public sealed class HouseholdMemberTests(AppFixture fixture) : ApiTest(fixture)
{
    private static string Body(int version, JsonObject member) =>
        new JsonObject { ["version"] = version, ["member"] = member }.ToJsonString();

    [Fact]
    public async Task Members_are_added_changed_and_removed_each_at_the_next_version()
    {
        var id = await Api.RegisteredHousehold();

        var added = await Send(HttpMethod.Post, $"/api/households/{id}/members",
            Body(2, Requests.Member("李四", Relation.Spouse, new DateOnly(1952, 6, 1), sequence: 2)));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var memberId = (await Json(added)).GetProperty("memberId").GetGuid();
        Assert.Equal(3, (await Json(added)).GetProperty("version").GetInt32());

        var changed = await Send(HttpMethod.Put, $"/api/households/{id}/members/{memberId}",
            Body(3, Requests.Member("李四芳", Relation.Spouse, new DateOnly(1952, 6, 1), sequence: 2)));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var household = await Api.Household(id);
        Assert.Equal(4, household.GetProperty("version").GetInt32());
        Assert.Contains(household.GetProperty("members").EnumerateArray(), m => m.GetProperty("name").GetString() == "李四芳");

        var removed = await Send(HttpMethod.Post, $"/api/households/{id}/members/{memberId}/removal",
            """{ "version": 4, "reason": "moved to her daughter's household" }""");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        household = await Api.Household(id);
        Assert.Equal(5, household.GetProperty("version").GetInt32());
        Assert.Single(household.GetProperty("members").EnumerateArray());
    }

    [Fact]
    public async Task A_stale_version_is_a_409_and_changes_nothing()
    {
        var id = await Api.RegisteredHousehold();

        var response = await Send(HttpMethod.Post, $"/api/households/{id}/members",
            Body(1, Requests.Member("李四", Relation.Spouse, sequence: 2)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, (await Api.Household(id)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_second_head_or_a_repeated_resident_ID_is_refused()
    {
        var id = await Api.RegisteredHousehold(Requests.Household(members: Requests.Member(sequence: 1)));

        var secondHead = await Send(HttpMethod.Post, $"/api/households/{id}/members",
            Body(2, Requests.Member("王五", Relation.Head, sequence: 3)));
        var sameId = await Send(HttpMethod.Post, $"/api/households/{id}/members",
            Body(2, Requests.Member("王五", Relation.Child, sequence: 1)));

        Assert.Equal(HttpStatusCode.BadRequest, secondHead.StatusCode);
        Assert.True((await Json(secondHead)).GetProperty("errors").TryGetProperty("member.relation", out _));
        Assert.Equal(HttpStatusCode.BadRequest, sameId.StatusCode);
        Assert.True((await Json(sameId)).GetProperty("errors").TryGetProperty("member.residentId", out _));
    }

    [Fact]
    public async Task Unknown_households_and_members_are_404()
    {
        var id = await Api.RegisteredHousehold();

        var noHousehold = await Send(HttpMethod.Post, $"/api/households/{Guid.CreateVersion7()}/members",
            Body(1, Requests.Member("李四", Relation.Spouse, sequence: 2)));
        var noMember = await Send(HttpMethod.Post, $"/api/households/{id}/members/{Guid.CreateVersion7()}/removal",
            """{ "version": 2, "reason": "error" }""");

        Assert.Equal(HttpStatusCode.NotFound, noHousehold.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMember.StatusCode);
        Assert.Equal("urn:relief:problem:not-found", (await Json(noMember)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_township_key_cannot_change_another_townships_household()
    {
        var id = await Api.RegisteredHousehold(Requests.Household("sanyang"));

        var response = await Send(HttpMethod.Post, $"/api/households/{id}/members",
            Body(2, Requests.Member("李四", Relation.Spouse, sequence: 2)), Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
