using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Relief.Api.Audit.Disclosures;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// The one masking rule (PersonalDataMask) on every way out, and the disclosures it leaves: a caller
/// without pii:read never gets the birth date beside a masked resident ID, whose 8 hidden digits it is.
/// </summary>
public sealed class PersonalDataMaskTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly DateOnly Birth = new(1962, 7, 8);
    private static readonly string ResidentId = Requests.ResidentId(Birth, 2);

    [Fact]
    public async Task A_masked_history_shows_the_birth_year_only_so_the_masked_ID_cannot_be_completed()
    {
        var id = await Api.RegisteredHousehold(Requests.Household(members: Requests.Member(birthDate: Birth, sequence: 2)));

        var response = await Send(HttpMethod.Get, $"/api/households/{id}/history", key: Keys.Auditor);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"{ResidentId[..6]}********{ResidentId[^4..]}", body);
        Assert.DoesNotContain("1962-07-08", body);
        Assert.DoesNotContain("19620708", body);
        var member = JsonNode.Parse(body)!["items"]!.AsArray()
            .Single(e => (string?)e!["type"] == "HouseholdMemberAdded")!["data"]!["member"]!["personal"]!;
        Assert.Null(member["birthDate"]);
        Assert.Equal(1962, (int)member["birthYear"]!);
    }

    [Fact]
    public async Task A_revealed_history_keeps_the_birth_date()
    {
        var id = await Api.RegisteredHousehold(Requests.Household(members: Requests.Member(birthDate: Birth, sequence: 2)));

        var body = await (await Send(HttpMethod.Get, $"/api/households/{id}/history")).Content.ReadAsStringAsync();

        Assert.Contains("1962-07-08", body);
        Assert.Contains(ResidentId, body);
    }

    [Fact]
    public async Task A_family_member_without_a_resident_ID_shows_a_masked_caller_the_birth_year_only()
    {
        var head = Requests.FamilyMember(birthDate: Birth, residentId: null);
        var id = await Api.RegisteredFamily(Requests.CaregiverFamily(head: head));

        var masked = (await Json(await Send(HttpMethod.Get, $"/api/caregiver-families/{id}", key: Keys.Hrss))).GetProperty("members")[0];

        Assert.False(masked.TryGetProperty("birthDate", out var date) && date.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal(1962, masked.GetProperty("birthYear").GetInt32());
    }

    [Fact]
    public async Task A_township_key_probing_an_ID_active_in_another_township_learns_no_household_and_the_probe_is_recorded()
    {
        var first = await Api.RegisteredHousehold(Requests.Household("mucheng", Requests.Member(birthDate: Birth, sequence: 2)));

        var probe = await Send(HttpMethod.Post, "/api/households",
            Requests.Household("sanyang", Requests.Member(birthDate: Birth, sequence: 2)).ToJsonString(), Keys.Sanyang);
        var county = await Send(HttpMethod.Post, "/api/households",
            Requests.Household("sanyang", Requests.Member(birthDate: Birth, sequence: 2)).ToJsonString(), Keys.PovertyOffice);

        Assert.Equal(HttpStatusCode.Conflict, probe.StatusCode);
        var problem = await Json(probe);
        Assert.Equal("urn:relief:problem:duplicate-resident", problem.GetProperty("type").GetString());
        Assert.False(problem.TryGetProperty("householdId", out _));
        Assert.DoesNotContain(first.ToString(), await probe.Content.ReadAsStringAsync());
        Assert.Equal(first, (await Json(county)).GetProperty("householdId").GetGuid());

        await using var session = Store.QuerySession();
        var disclosures = await session.Query<PersonalDataDisclosure>().ToListAsync();
        Assert.Equal(
            [(DisclosureKind.Confirmed, first, Keys.PovertyOffice), (DisclosureKind.Confirmed, first, Keys.Sanyang)],
            disclosures.Select(d => (d.Kind, d.OwnerId, d.Caller)).OrderBy(d => d.Caller, StringComparer.Ordinal));
        Assert.Empty(await session.Query<Relief.Api.Households.HouseholdDetails>().Where(h => h.Township == "sanyang").ToListAsync());
    }

    [Fact]
    public async Task Disclosures_are_events_that_auditors_read_and_the_chain_covers()
    {
        var id = await Api.RegisteredHousehold(Requests.Household(members: Requests.Member(birthDate: Birth, sequence: 2)));
        await Api.Household(id, Keys.PovertyOffice);

        var list = await Api.Audit($"/api/audit/disclosures?ownerId={id}");
        await Api.Audit("/api/audit/disclosures", Keys.Mucheng, 403);
        await Api.Audit("/api/audit/disclosures?kind=Nonsense", Keys.Auditor, 400);

        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("Revealed", item.GetProperty("kind").GetString());
        Assert.Equal(Keys.PovertyOffice, item.GetProperty("caller").GetString());
        var disclosureId = item.GetProperty("id").GetGuid();
        Assert.Equal("personal_data_disclosed",
            await Api.Sql("select type from relief.mt_events where stream_id = $1", disclosureId));
        await Api.AuditChainCaughtUp();
        var verified = await Api.Audit("/api/audit/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(1L, await Api.Sql(
            "select count(*) from relief.mt_events e join relief.audit_chain c on c.seq_id = e.seq_id where e.stream_id = $1",
            disclosureId));
    }

    [Fact]
    public async Task A_webhook_body_carries_nothing_personal_of_a_member_not_even_sealed()
    {
        var receiver = Fixture.Receivers.First;
        await Api.WebhookSubscription(receiver.Url, Keys.PovertyOffice, "HouseholdMemberAdded");
        await Api.AsyncDaemonRunning();

        await Api.RegisteredHousehold(Requests.Household(members: Requests.Member(birthDate: Birth, sequence: 2)));
        var body = (await receiver.WaitForCount(1)).Single().Body;

        var member = JsonNode.Parse(body)!["data"]!["member"]!.AsObject();
        Assert.Equal(["gender", "relation"], member.Select(p => p.Key).Order());
        Assert.DoesNotContain("1962", body);
        Assert.DoesNotContain("张三", body);
        Assert.DoesNotContain("ciphertext", body);
    }
}
