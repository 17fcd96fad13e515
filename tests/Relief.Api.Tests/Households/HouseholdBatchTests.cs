using System.Net;
using System.Text.Json.Nodes;
using Marten;

namespace Relief.Api.Tests.Households;

/// <summary>A department's upload: many households in one request and one transaction, all or nothing.</summary>
public sealed class HouseholdBatchTests(AppFixture fixture) : ApiTest(fixture)
{
    private static string Batch(params JsonObject[] households) =>
        new JsonObject { ["households"] = new JsonArray(households.Cast<JsonNode>().ToArray()) }.ToJsonString();

    private static JsonObject Household(int sequence, string township = "mucheng") =>
        Requests.Household(township, Requests.Member(sequence: sequence));

    /// <summary>The events recorded, leaving out the tombstones Marten writes for the sequence numbers of a failed commit.</summary>
    private async Task<long> EventCount()
    {
        await using var session = Store.QuerySession();
        // Disclosure records are events too (a pii:read or a duplicate found is recorded): not the batch's writes.
        return await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypeName != "tombstone" && e.EventTypeName != "personal_data_disclosed").CountAsync();
    }

    [Fact]
    public async Task A_batch_registers_every_household_and_answers_each_records_household()
    {
        var response = await Send(HttpMethod.Post, "/api/households/batch", Batch(Household(1), Household(2), Household(3, "sanyang")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        var records = body.GetProperty("households").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], records.Select(r => r.GetProperty("index").GetInt32()));
        foreach (var record in records)
        {
            Assert.Equal(2, record.GetProperty("version").GetInt32());
            var household = await Api.Household(record.GetProperty("id").GetGuid());
            Assert.Equal(record.GetProperty("url").GetString(), $"/api/households/{household.GetProperty("id").GetGuid()}");
        }

        Assert.Equal("sanyang", (await Api.Household(records[2].GetProperty("id").GetGuid())).GetProperty("township").GetString());
        Assert.Equal(6, await EventCount());
    }

    [Fact]
    public async Task One_invalid_record_refuses_the_batch_naming_each_records_outcome_and_nothing_is_written()
    {
        var broken = Household(2);
        broken["members"]![0]!["residentId"] = "410823195003150015";
        broken["village"] = "";

        var response = await Send(HttpMethod.Post, "/api/households/batch", Batch(Household(1), broken, Household(3)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("households[1].members[0].residentId", out _));
        Assert.True(errors.TryGetProperty("households[1].village", out _));
        var outcomes = problem.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["Valid", "Refused", "Valid"], outcomes);
        Assert.Equal(0, await EventCount());
    }

    [Fact]
    public async Task A_resident_ID_in_two_records_is_409_and_nothing_is_written()
    {
        var response = await Send(HttpMethod.Post, "/api/households/batch", Batch(Household(1), Household(2), Household(1)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:duplicate-resident", problem.GetProperty("type").GetString());
        var refused = problem.GetProperty("records")[2];
        Assert.Equal("Refused", refused.GetProperty("outcome").GetString());
        Assert.Contains("record 0", refused.GetProperty("detail").GetString());
        Assert.Equal(0, await EventCount());
    }

    [Fact]
    public async Task A_resident_ID_active_in_an_existing_household_refuses_the_batch()
    {
        var existing = await Api.RegisteredHousehold(Household(7));
        var before = await EventCount();

        var response = await Send(HttpMethod.Post, "/api/households/batch", Batch(Household(1), Household(7)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var refused = (await Json(response)).GetProperty("records")[1];
        Assert.Equal("urn:relief:problem:duplicate-resident", refused.GetProperty("type").GetString());
        Assert.Contains(existing.ToString(), refused.GetProperty("detail").GetString());
        Assert.Equal(before, await EventCount());
    }

    [Fact]
    public async Task A_township_key_may_not_upload_another_townships_household()
    {
        var response = await Send(HttpMethod.Post, "/api/households/batch", Batch(Household(1), Household(2, "sanyang")),
            key: Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Refused", (await Json(response)).GetProperty("records")[1].GetProperty("outcome").GetString());
        Assert.Equal(0, await EventCount());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_batch_has_1_to_1000_households(int count)
    {
        var households = Enumerable.Range(0, count).Select(_ => new JsonObject()).ToArray();

        var response = await Send(HttpMethod.Post, "/api/households/batch", Batch(households));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("households", out _));
    }

    [Fact]
    public async Task A_retried_batch_with_the_same_Idempotency_Key_is_replayed_and_written_once()
    {
        var body = Batch(Household(1), Household(2));
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "upload-2020-09-week-39" };

        var first = await Send(HttpMethod.Post, "/api/households/batch", body, headers: headers);
        var again = await Send(HttpMethod.Post, "/api/households/batch", body, headers: headers);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await Json(first)).GetRawText(), (await Json(again)).GetRawText());
        Assert.Equal(4, await EventCount());
    }

    [Fact]
    public async Task Concurrent_batches_naming_one_resident_ID_leave_it_in_exactly_one_household()
    {
        var bodies = Enumerable.Range(0, 4).Select(i => Batch(Household(10 + i), Household(1))).ToList();

        var responses = await Task.WhenAll(bodies.Select(b => Send(HttpMethod.Post, "/api/households/batch", b)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await using var session = Store.QuerySession();
        Assert.Equal(2, await session.Query<Relief.Api.Households.ActiveResident>().CountAsync());
        Assert.Equal(4, await EventCount());
    }
}
