using System.Net;
using System.Text.Json;

namespace Relief.Api.Tests.CaregiverFamilies;

public sealed class ListCaregiverFamiliesTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<List<Guid>> Register(int count, string township)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await Api.RegisteredFamily(Requests.CaregiverFamily(township, Requests.FamilyMember(sequence: 100 + i))));
        }

        // The clock is pinned: ids of one millisecond are ordered by their random part.
        return [.. ids.Order()];
    }

    private Task<JsonElement> Page(string query, string key = Keys.PovertyOffice) =>
        Api.Send(HttpMethod.Get, $"/api/caregiver-families{query}", null, key);

    private static List<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    [Fact]
    public async Task Pages_follow_the_cursor_in_id_order_until_there_is_no_next_cursor()
    {
        var ids = await Register(5, "mucheng");

        var first = await Page("?limit=2");
        var second = await Page($"?limit=2&cursor={first.GetProperty("nextCursor").GetGuid()}");
        var last = await Page($"?limit=2&cursor={second.GetProperty("nextCursor").GetGuid()}");

        Assert.Equal(ids[..2], Ids(first));
        Assert.Equal(ids[2..4], Ids(second));
        Assert.Equal(ids[4..], Ids(last));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.GetProperty("nextCursor").ValueKind);
        var item = first.GetProperty("items")[0];
        Assert.Equal(("mucheng", "木城街道", "李四", 1), (item.GetProperty("township").GetString(),
            item.GetProperty("townshipName").GetString(), item.GetProperty("headName").GetString(), item.GetProperty("memberCount").GetInt32()));
        Assert.False(item.TryGetProperty("members", out _));
    }

    [Fact]
    public async Task The_list_filters_by_township_and_a_township_key_sees_only_its_own()
    {
        var mucheng = await Register(2, "mucheng");
        var sanyang = await Register(1, "sanyang");

        Assert.Equal(sanyang, Ids(await Page("?township=三阳乡")));
        Assert.Equal(mucheng, Ids(await Page("", Keys.Mucheng)));
        Assert.Equal(mucheng, Ids(await Page("?township=mucheng", Keys.Mucheng)));
        Assert.Equal(3, Ids(await Page("")).Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "/api/caregiver-families?township=sanyang", key: Keys.Mucheng)).StatusCode);
    }

    [Fact]
    public async Task A_bad_township_cursor_or_limit_is_a_400()
    {
        var township = await Send(HttpMethod.Get, "/api/caregiver-families?township=nowhere");
        var cursor = await Send(HttpMethod.Get, "/api/caregiver-families?cursor=abc");
        var limit = await Send(HttpMethod.Get, "/api/caregiver-families?limit=0");
        var notANumber = await Send(HttpMethod.Get, "/api/caregiver-families?limit=ten");

        Assert.Equal(HttpStatusCode.BadRequest, township.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
        Assert.True((await Json(cursor)).GetProperty("errors").TryGetProperty("cursor", out _));
        Assert.Equal(HttpStatusCode.BadRequest, limit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Equal("application/problem+json", notANumber.Content.Headers.ContentType?.MediaType);
    }
}
