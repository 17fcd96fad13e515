using System.Net;
using System.Text.Json.Nodes;
using Marten;

namespace Relief.Api.Tests.Households;

/// <summary>One resident, one household; moves between households; closing a household.</summary>
public sealed class HouseholdRegistryTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly DateOnly Birth = new(1950, 3, 15);

    [Fact]
    public async Task A_resident_ID_active_in_one_household_is_409_elsewhere_naming_that_household()
    {
        var first = await Api.RegisteredHousehold(Requests.Household(members: Requests.Member(sequence: 1)));

        var again = await Send(HttpMethod.Post, "/api/households",
            Requests.Household("sanyang", Requests.Member(sequence: 1)).ToJsonString());
        var other = await Api.RegisteredHousehold(Requests.Household(members: Requests.Member(sequence: 2)));
        var added = await Send(HttpMethod.Post, $"/api/households/{other}/members",
            new JsonObject { ["version"] = 2, ["member"] = Requests.Member("张三", Relation.Parent, sequence: 1) }.ToJsonString());

        foreach (var response in new[] { again, added })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var problem = await Json(response);
            Assert.Equal("urn:relief:problem:duplicate-resident", problem.GetProperty("type").GetString());
            Assert.Equal(first, problem.GetProperty("householdId").GetGuid());
            Assert.Contains(first.ToString(), problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_resident_ID_leave_it_in_exactly_one_household()
    {
        var body = Requests.Household(members: Requests.Member(sequence: 1)).ToJsonString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Send(HttpMethod.Post, "/api/households", body)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await using var session = Store.QuerySession();
        Assert.Equal(1, await session.Query<ActiveResident>().CountAsync());
    }

    [Fact]
    public async Task A_member_moves_with_their_identifiers_readable_in_the_new_household()
    {
        var from = await Api.RegisteredHousehold(Requests.Household(members:
            [Requests.Member(), Requests.Member("张小花", Relation.Child, new DateOnly(1980, 5, 1), sequence: 2, phone: "13911112222")]));
        var to = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("王五", sequence: 3)));
        var daughter = (await Api.Household(from)).GetProperty("members")[1].GetProperty("memberId").GetGuid();

        var moved = await Send(HttpMethod.Post, $"/api/households/{from}/members/{daughter}/move",
            new JsonObject { ["version"] = 3, ["toHouseholdId"] = to.ToString(), ["toVersion"] = 2, ["movedOn"] = "2020-09-20" }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var source = await Api.Household(from);
        var target = await Api.Household(to);
        Assert.Single(source.GetProperty("members").EnumerateArray());
        var arrived = target.GetProperty("members")[1];
        Assert.Equal(daughter, arrived.GetProperty("memberId").GetGuid());
        Assert.Equal(Requests.ResidentId(new DateOnly(1980, 5, 1), 2), arrived.GetProperty("residentId").GetString());
        Assert.Equal("13911112222", arrived.GetProperty("phone").GetString());
        Assert.Equal(3, target.GetProperty("version").GetInt32());
        await using var session = Store.QuerySession();
        Assert.Equal(to, (await session.LoadAsync<ActiveResident>(daughter))!.HouseholdId);
    }

    [Fact]
    public async Task A_move_checks_both_households()
    {
        var from = await Api.RegisteredHousehold();
        var to = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("王五", sequence: 3)));
        var head = (await Api.Household(from)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        string Move(Guid target, int toVersion) => new JsonObject
            { ["version"] = 2, ["toHouseholdId"] = target.ToString(), ["toVersion"] = toVersion, ["movedOn"] = "2020-09-20" }.ToJsonString();

        var unknown = await Send(HttpMethod.Post, $"/api/households/{from}/members/{head}/move", Move(Guid.CreateVersion7(), 1));
        var stale = await Send(HttpMethod.Post, $"/api/households/{from}/members/{head}/move", Move(to, 1));
        var secondHead = await Send(HttpMethod.Post, $"/api/households/{from}/members/{head}/move", Move(to, 2));
        var township = await Send(HttpMethod.Post, $"/api/households/{from}/members/{head}/move", Move(to, 2), Keys.Mucheng);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, secondHead.StatusCode);
        Assert.Contains("head", (await Json(secondHead)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, township.StatusCode);
    }

    [Fact]
    public async Task A_closed_household_is_archived_readable_and_takes_no_more_changes()
    {
        var body = Requests.Household(members: Requests.Member(sequence: 1)).ToJsonString();
        var id = await Api.RegisteredHousehold(System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject());

        var closed = await Send(HttpMethod.Post, $"/api/households/{id}/closure",
            """{ "version": 2, "reason": "Deceased", "closedOn": "2020-09-30", "note": "户主去世" }""");

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var household = await Api.Household(id);
        Assert.Equal("Deceased", household.GetProperty("closure").GetProperty("reason").GetString());
        var change = await Send(HttpMethod.Post, $"/api/households/{id}/members",
            new JsonObject { ["version"] = 4, ["member"] = Requests.Member("李四", Relation.Spouse, sequence: 2) }.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        Assert.Equal("urn:relief:problem:household-closed", (await Json(change)).GetProperty("type").GetString());

        await using var session = Store.QuerySession();
        // Archived events leave the everyday queries; auditors ask for them explicitly.
        var history = await session.Events.QueryAllRawEvents().Where(e => e.StreamId == id && e.IsArchived).ToListAsync();
        Assert.Contains(history, e => e.Data is HouseholdClosed);
        Assert.Contains(history, e => e.Data is HouseholdRegistered);
        Assert.True((await session.Events.FetchStreamStateAsync(id))!.IsArchived);

        var list = await Api.Send(HttpMethod.Get, "/api/households", null);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        var withClosed = await Api.Send(HttpMethod.Get, "/api/households?includeClosed=true", null);
        Assert.Single(withClosed.GetProperty("items").EnumerateArray());

        // The person's resident ID is free again, e.g. for the household they were taken into.
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/api/households", body)).StatusCode);
    }

    [Fact]
    public async Task Monitoring_status_changes_from_a_date()
    {
        var id = await Api.RegisteredHousehold();

        var changed = await Send(HttpMethod.Put, $"/api/households/{id}/monitoring",
            """{ "version": 2, "status": "Monitored", "since": "2020-09-01", "note": "因病返贫风险" }""");
        var same = await Send(HttpMethod.Put, $"/api/households/{id}/monitoring",
            """{ "version": 3, "status": "Monitored", "since": "2020-09-02" }""");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var household = await Api.Household(id);
        Assert.Equal("Monitored", household.GetProperty("monitoring").GetString());
        Assert.Equal("2020-09-01", household.GetProperty("monitoringSince").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
    }

    [Fact]
    public async Task A_households_own_facts_are_changed_as_a_whole_at_the_next_version()
    {
        var id = await Api.RegisteredHousehold();

        var changed = await Send(HttpMethod.Put, $"/api/households/{id}",
            """{ "version": 2, "village": "西关村", "headName": "张三丰", "address": "西关村二组 3 号", "povertyCause": "Disability" }""");
        var missing = await Send(HttpMethod.Put, $"/api/households/{id}", """{ "version": 3, "village": "西关村" }""");
        var stale = await Send(HttpMethod.Put, $"/api/households/{id}",
            """{ "version": 2, "village": "西关村", "headName": "张三丰", "address": "x", "povertyCause": "Disability" }""");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var household = await Api.Household(id);
        Assert.Equal("西关村", household.GetProperty("village").GetString());
        Assert.Equal("Disability", household.GetProperty("povertyCause").GetString());
        Assert.Equal(3, household.GetProperty("version").GetInt32());
        Assert.Equal("张三丰", (await Api.Send(HttpMethod.Get, "/api/households", null)).GetProperty("items")[0].GetProperty("headName").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
    }
}
