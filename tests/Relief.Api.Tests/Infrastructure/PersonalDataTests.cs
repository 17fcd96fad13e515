using Relief.Api.Audit.Disclosures;
using System.Net;
using Marten;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Tests.Infrastructure;

public sealed class PersonalDataTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly string ResidentId = Requests.ResidentId(new DateOnly(1950, 3, 15), 7);
    private const string Phone = "13912345678";

    private Task<Guid> Registered() =>
        Api.RegisteredHousehold(Requests.Household(members: Requests.Member(residentId: ResidentId, phone: Phone)));

    [Fact]
    public async Task Callers_without_pii_read_see_masked_identifiers()
    {
        var id = await Registered();

        var household = await Api.Household(id, Keys.Hrss);

        var member = household.GetProperty("members")[0];
        Assert.Equal("Masked", household.GetProperty("personalData").GetString());
        Assert.Equal($"{ResidentId[..6]}********{ResidentId[^4..]}", member.GetProperty("residentId").GetString());
        Assert.Equal("139****5678", member.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task A_masked_view_never_gives_the_resident_ID_away_through_the_birth_date_or_the_certificate()
    {
        var member = Requests.Member(residentId: ResidentId, phone: Phone);
        member["disabilityCertificateNo"] = ResidentId + "11";
        var id = await Api.RegisteredHousehold(Requests.Household(members: member));

        var masked = (await Api.Household(id, Keys.Hrss)).GetProperty("members")[0];
        var revealed = (await Api.Household(id, Keys.PovertyOffice)).GetProperty("members")[0];

        Assert.False(masked.TryGetProperty("birthDate", out _));
        Assert.Equal(1950, masked.GetProperty("birthYear").GetInt32());
        Assert.DoesNotContain(ResidentId[6..14], masked.GetProperty("disabilityCertificateNo").GetString());
        Assert.Equal(ResidentId + "11", revealed.GetProperty("disabilityCertificateNo").GetString());
        Assert.DoesNotContain(ResidentId, await Database.Dump());
    }

    [Fact]
    public async Task A_caller_with_pii_read_sees_them_in_full_and_the_read_is_recorded()
    {
        var id = await Registered();

        var household = await Api.Household(id, Keys.PovertyOffice);

        var member = household.GetProperty("members")[0];
        Assert.Equal("Revealed", household.GetProperty("personalData").GetString());
        Assert.Equal(ResidentId, member.GetProperty("residentId").GetString());
        Assert.Equal(Phone, member.GetProperty("phone").GetString());
        await using var session = Store.QuerySession();
        var disclosure = Assert.Single(await session.Query<PersonalDataDisclosure>().ToListAsync());
        Assert.Equal((PersonalDataOwner.Household, id), (disclosure.Owner, disclosure.OwnerId));
        Assert.Equal(Keys.PovertyOffice, disclosure.Caller);
        Assert.Equal(AppFixture.Start, disclosure.At);
    }

    [Fact]
    public async Task No_resident_ID_or_phone_is_stored_in_plaintext_anywhere_in_the_database()
    {
        var id = await Registered();
        await Send(HttpMethod.Post, $"/api/households/{id}/members",
            $$"""{ "version": 2, "member": {{Requests.Member("李四", Relation.Spouse, residentId: Requests.ResidentId(new DateOnly(1952, 1, 2), 9), phone: "13700001111")}} }""",
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = "add-spouse" });
        await Api.Household(id, Keys.PovertyOffice);

        var dump = await Database.Dump();

        Assert.Contains("东关村", dump); // the dump is real and readable
        Assert.DoesNotContain(ResidentId, dump);
        Assert.DoesNotContain(Requests.ResidentId(new DateOnly(1952, 1, 2), 9), dump);
        Assert.DoesNotContain(Phone, dump);
        Assert.DoesNotContain("13700001111", dump);
    }

    [Fact]
    public async Task Erasing_a_household_forgets_its_key_its_peoples_keys_and_their_index_rows_without_touching_the_events()
    {
        var id = await Registered();
        await using var before = Store.QuerySession();
        var eventsBefore = (await before.Events.FetchStreamAsync(id)).Select(e => e.Data.ToString()).ToList();

        var erased = await Send(HttpMethod.Post, $"/api/households/{id}/personal-data/erasure",
            """{ "version": 2, "reason": "PIPL erasure request 2020-17" }""");

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var household = await Api.Household(id, Keys.PovertyOffice);
        Assert.Equal("Erased", household.GetProperty("personalData").GetString());
        Assert.False(household.GetProperty("members")[0].TryGetProperty("residentId", out _));
        // The household's erasure forgets every person it holds: their names were sealed under their keys too.
        Assert.Equal("[erased]", household.GetProperty("members")[0].GetProperty("name").GetString());
        await using var after = Store.QuerySession();
        var eventsAfter = await after.Events.FetchStreamAsync(id);
        Assert.Equal(eventsBefore, eventsAfter.Take(2).Select(e => e.Data.ToString()));
        Assert.IsType<HouseholdPersonalDataErased>(eventsAfter[2].Data);
        Assert.Null(await after.LoadAsync<HouseholdDataKey>(id));
        Assert.Empty(await after.Query<PersonDataKey>().Where(k => k.HolderId == id).ToListAsync());
        Assert.Empty(await after.Query<ActiveResident>().Where(r => r.HouseholdId == id).ToListAsync());
    }

    [Fact]
    public async Task After_erasure_no_new_identifier_can_be_recorded_but_members_without_them_can()
    {
        var id = await Registered();
        await Send(HttpMethod.Post, $"/api/households/{id}/personal-data/erasure", """{ "version": 2, "reason": "PIPL" }""");

        var withId = await Send(HttpMethod.Post, $"/api/households/{id}/members",
            $$"""{ "version": 3, "member": {{Requests.Member("李四", Relation.Spouse, sequence: 2)}} }""");
        var without = await Send(HttpMethod.Post, $"/api/households/{id}/members",
            $$"""{ "version": 3, "member": {{Requests.Member("李四", Relation.Spouse, residentId: null, phone: null)}} }""");

        Assert.Equal(HttpStatusCode.Conflict, withId.StatusCode);
        Assert.Equal(HttpStatusCode.OK, without.StatusCode);

        // Each person is erased on their own: the member added afterwards has a key of their own, and shows.
        var members = (await Api.Household(id, Keys.PovertyOffice)).GetProperty("members");
        Assert.Equal(("[erased]", "Erased"), (members[0].GetProperty("name").GetString(), members[0].GetProperty("personalData").GetString()));
        Assert.Equal(("李四", "Revealed"), (members[1].GetProperty("name").GetString(), members[1].GetProperty("personalData").GetString()));
    }

    [Fact]
    public async Task Only_the_owner_of_erasure_may_erase()
    {
        var id = await Registered();

        var response = await Send(HttpMethod.Post, $"/api/households/{id}/personal-data/erasure",
            """{ "version": 2, "reason": "x" }""", Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
