using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Tests.Households;

/// <summary>
/// Erasure per person (PIPL art. 47): every personal field of a member is sealed under the member's
/// own key, so forgetting that key erases exactly that person, wherever they moved, and nothing else.
/// </summary>
public sealed class PersonErasureTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly DateOnly SpouseBirth = new(1952, 1, 2);
    private static readonly string SpouseId = Requests.ResidentId(SpouseBirth, 9);

    private async Task<(Guid Household, Guid Head, Guid Spouse)> Registered()
    {
        var household = await Api.RegisteredHousehold(Requests.Household(members:
        [
            Requests.Member(),
            Requests.Member("李秀英", Relation.Spouse, SpouseBirth, sequence: 9, phone: "13700001111"),
        ]));
        var members = (await Api.Household(household)).GetProperty("members");
        return (household, members[0].GetProperty("memberId").GetGuid(), members[1].GetProperty("memberId").GetGuid());
    }

    private Task<HttpResponseMessage> Erase(Guid household, Guid member, int version) =>
        Send(HttpMethod.Post, $"/api/households/{household}/members/{member}/personal-data/erasure",
            $$"""{ "version": {{version}}, "reason": "PIPL erasure request 2020-31" }""");

    [Fact]
    public async Task Erasing_one_member_forgets_that_person_everywhere_and_leaves_the_others_readable()
    {
        var (household, _, spouse) = await Registered();
        string index;
        await using (var before = Store.QuerySession())
            index = (await before.LoadAsync<Relief.Api.Households.ActiveResident>(spouse))!.ResidentIdIndex;

        var erased = await Erase(household, spouse, 3);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var members = (await Api.Household(household)).GetProperty("members");
        Assert.Equal("张三", members[0].GetProperty("name").GetString());
        Assert.Equal(("Erased", "[erased]"), (members[1].GetProperty("personalData").GetString(), members[1].GetProperty("name").GetString()));
        Assert.False(members[1].TryGetProperty("residentId", out _));

        var history = await (await Send(HttpMethod.Get, $"/api/households/{household}/history")).Content.ReadAsStringAsync();
        Assert.Contains("张三", history);
        Assert.DoesNotContain("李秀英", history);
        Assert.Contains("[erased]", history);

        await using var session = Store.QuerySession();
        Assert.Null(await session.LoadAsync<PersonDataKey>(spouse));
        Assert.Null(await session.LoadAsync<Relief.Api.Households.ActiveResident>(spouse));
        var dump = await Database.Dump();
        Assert.DoesNotContain(SpouseId, dump);
        Assert.DoesNotContain(index, dump); // the blind index is in no event: whoever holds IndexKey cannot test guesses against it
        Assert.DoesNotContain("李秀英", dump);
        Assert.DoesNotContain("13700001111", dump);
    }

    [Fact]
    public async Task A_resident_ID_twice_in_one_household_is_a_400_on_the_field_and_writes_nothing()
    {
        var (household, _, _) = await Registered();

        var again = await Send(HttpMethod.Post, $"/api/households/{household}/members",
            new JsonObject { ["version"] = 3, ["member"] = Requests.Member("李二", Relation.Child, SpouseBirth, sequence: 9) }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True((await Json(again)).GetProperty("errors").TryGetProperty("member.residentId", out _));
        Assert.Equal(3, (await Api.Household(household)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Nothing_personal_is_recorded_again_for_an_erased_member_and_a_second_erasure_is_409()
    {
        var (household, _, spouse) = await Registered();
        await Erase(household, spouse, 3);

        var again = await Erase(household, spouse, 4);
        var changed = await Send(HttpMethod.Put, $"/api/households/{household}/members/{spouse}",
            new JsonObject { ["version"] = 4, ["member"] = Requests.Member("李秀英", Relation.Spouse, SpouseBirth, sequence: 9) }.ToJsonString());
        var unknown = await Erase(household, Guid.CreateVersion7(), 4);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(4, (await Api.Household(household)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_person_who_moved_keeps_their_key_so_erasing_the_old_household_leaves_them_readable()
    {
        var (from, _, spouse) = await Registered();
        var to = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("王五", sequence: 3)));
        await Api.Send(HttpMethod.Post, $"/api/households/{from}/members/{spouse}/move",
            new JsonObject { ["version"] = 3, ["toHouseholdId"] = to.ToString(), ["toVersion"] = 2, ["movedOn"] = "2020-09-20" });

        var erased = await Send(HttpMethod.Post, $"/api/households/{from}/personal-data/erasure",
            """{ "version": 4, "reason": "PIPL erasure request 2020-32" }""");

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var moved = (await Api.Household(to)).GetProperty("members")[1];
        Assert.Equal(("李秀英", SpouseId), (moved.GetProperty("name").GetString(), moved.GetProperty("residentId").GetString()));
        var old = (await Api.Household(from)).GetProperty("members")[0];
        Assert.Equal("[erased]", old.GetProperty("name").GetString());

        // Erasing the person in their new household forgets them in the old one's history too.
        await Erase(to, spouse, 3);
        var history = await (await Send(HttpMethod.Get, $"/api/households/{from}/history")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("李秀英", history);
    }

    [Fact]
    public async Task After_an_erasure_the_chain_verifies_and_every_weekly_figure_is_unchanged()
    {
        var (household, _, spouse) = await Registered();
        await Api.AgreementSignedBy(Guid.CreateVersion7(), household);
        var before = await Api.WeeklyDispatch("2020-W40");

        await Erase(household, spouse, 3);
        await Send(HttpMethod.Post, $"/api/households/{household}/personal-data/erasure",
            """{ "version": 4, "reason": "PIPL erasure request 2020-33" }""");

        var after = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal(before.GetProperty("county").GetRawText(), after.GetProperty("county").GetRawText());
        Assert.Equal(before.GetProperty("townships").GetRawText(), after.GetProperty("townships").GetRawText());
        Assert.Equal(1, before.GetProperty("county").GetProperty("households").GetProperty("value").GetInt32());
        await Api.AuditChainCaughtUp();
        Assert.True((await Api.Audit("/api/audit/verify")).GetProperty("valid").GetBoolean());
    }
}
