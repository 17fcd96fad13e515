using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using Relief.Api.CareAgreements;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.Tests.Households;

/// <summary>
/// A head's name, a household's address and a caregiver's name are sealed at rest like everything
/// else personal: under the head's or caregiver's own person key (the address under the
/// household's), in every event, view and report document that copies them; the routes open them
/// when they answer, so that erasing one person leaves no readable copy anywhere and every figure
/// stands.
/// </summary>
public sealed class SealedNamesTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string HeadName = "赵大山";
    private const string Address = "东关村九组 77 号";
    private const string Charity = "钱慈善";
    private const string Kin = "孙亲情";
    private const string Family = "周家长";

    private Task<HttpResponseMessage> Erase(string route, int version, string reason = "PIPL erasure request 2020-41") =>
        Send(HttpMethod.Post, route, $$"""{ "version": {{version}}, "reason": "{{reason}}" }""");

    private async Task<(Guid Household, Guid Head)> HouseholdHeadedBy(string name = HeadName)
    {
        var body = Requests.Household("mucheng", Requests.Member(name), Requests.Member("李秀英", Relation.Spouse, new DateOnly(1952, 1, 2)));
        body["headName"] = name;
        body["address"] = Address;
        var household = await Api.RegisteredHousehold(body);
        return (household, (await Api.Household(household)).GetProperty("members")[0].GetProperty("memberId").GetGuid());
    }

    [Fact]
    public async Task Erasing_the_head_member_erases_the_head_name_everywhere_and_every_figure_stands()
    {
        var (household, head) = await HouseholdHeadedBy();
        await Api.ProjectionsCaughtUp();
        const string list = "/api/reports/weekly-dispatch/2020-W40/households-without-agreement";
        // In full to a reader holding pii:read; masked by the one rule to the reports key.
        var listedBefore = await Api.Send(HttpMethod.Get, list, null, Keys.PovertyOffice);
        Assert.Contains(listedBefore.GetProperty("items").EnumerateArray(), i => i.GetProperty("subject").GetString() == $"东关村 · {HeadName}");
        var maskedBefore = await Api.Send(HttpMethod.Get, list, null, Keys.Reports);
        Assert.Contains(maskedBefore.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("subject").GetString() == $"东关村 · {PersonalDataMask.Name(HeadName)}");
        Assert.Equal(HeadName, (await Api.Household(household)).GetProperty("headName").GetString());
        var before = await Api.WeeklyDispatch("2020-W40");

        Assert.Equal(HttpStatusCode.OK, (await Erase($"/api/households/{household}/members/{head}/personal-data/erasure", 3)).StatusCode);

        var view = await Api.Household(household);
        Assert.Equal((PersonalDataMask.Erased, Address), (view.GetProperty("headName").GetString(), view.GetProperty("address").GetString()));
        var listed = await Api.Send(HttpMethod.Get, "/api/households?township=mucheng", null);
        Assert.Equal(PersonalDataMask.Erased,
            listed.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == household).GetProperty("headName").GetString());
        var asOf = await Api.Send(HttpMethod.Get, $"/api/audit/households/{household}?version=3", null, Keys.Auditor);
        Assert.Equal(PersonalDataMask.Erased, asOf.GetProperty("headName").GetString());
        var after = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal(before.GetProperty("county").GetRawText(), after.GetProperty("county").GetRawText());
        Assert.Equal(before.GetProperty("townships").GetRawText(), after.GetProperty("townships").GetRawText());
        var listedAfter = await Api.Send(HttpMethod.Get, list, null, Keys.Reports);
        Assert.Contains(listedAfter.GetProperty("items").EnumerateArray(), i => i.GetProperty("subject").GetString() == "东关村 · [erased]");
        var page = await (await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W40.html", key: Keys.Reports)).Content.ReadAsStringAsync();
        Assert.Contains("[erased]", page);
        Assert.DoesNotContain(HeadName, page);
        foreach (var route in new[] { $"/api/households/{household}/history", $"/api/households/{household}/ledger", "/api/ledger" })
        {
            var body = await (await Send(HttpMethod.Get, route, key: Keys.Auditor)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(HeadName, body);
        }

        Assert.DoesNotContain(HeadName, await Database.Dump());
        await Api.AuditChainCaughtUp();
        Assert.True((await Api.Audit("/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Erasing_the_household_erases_its_address_and_the_head_name_of_a_household_with_no_head_member()
    {
        var body = Requests.Household("mucheng", Requests.Member("李秀英", Relation.Spouse, new DateOnly(1952, 1, 2)));
        body["headName"] = HeadName;
        body["address"] = Address;
        var household = await Api.RegisteredHousehold(body);
        var view = await Api.Household(household);
        Assert.Equal((HeadName, Address), (view.GetProperty("headName").GetString(), view.GetProperty("address").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await Erase($"/api/households/{household}/personal-data/erasure", 2)).StatusCode);

        view = await Api.Household(household);
        Assert.Equal((PersonalDataMask.Erased, PersonalDataMask.Erased),
            (view.GetProperty("headName").GetString(), view.GetProperty("address").GetString()));
        var dump = await Database.Dump();
        Assert.DoesNotContain(Address, dump);
        Assert.DoesNotContain(HeadName, dump);
        // Nothing personal can be recorded under a forgotten key again: a details change is a 409.
        var changed = await Send(HttpMethod.Put, $"/api/households/{household}", new JsonObject
        {
            ["version"] = 3, ["village"] = "东关村", ["headName"] = "新户主", ["address"] = "新地址", ["povertyCause"] = "Illness",
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
    }

    [Fact]
    public async Task A_changed_head_name_is_sealed_under_a_new_key_once_the_heads_key_was_forgotten()
    {
        var (household, head) = await HouseholdHeadedBy();
        await Erase($"/api/households/{household}/members/{head}/personal-data/erasure", 3);

        var changed = await Send(HttpMethod.Put, $"/api/households/{household}", new JsonObject
        {
            ["version"] = 4, ["village"] = "东关村", ["headName"] = "钱新户", ["address"] = Address, ["povertyCause"] = "Illness",
        }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("钱新户", (await Api.Household(household)).GetProperty("headName").GetString());
        var history = await (await Send(HttpMethod.Get, $"/api/households/{household}/history", key: Keys.Auditor)).Content.ReadAsStringAsync();
        Assert.Contains("钱新户", history);
        Assert.DoesNotContain(HeadName, history); // the old name stays under the forgotten key: never resurrected
    }

    [Fact]
    public async Task Erasing_an_agreements_caregiver_erases_their_name_on_the_agreement_and_on_every_warning()
    {
        var (household, _) = await HouseholdHeadedBy();
        var agreement = await Api.SignedAgreement(household, Requests.Agreement(CareMode.CharityCare, caregiver: Charity));
        await Api.Evaluated(household, Requests.Evaluation(1));
        Assert.Equal(Charity, (await Api.Agreement(agreement)).GetProperty("caregiver").GetProperty("name").GetString());
        var warnings = await Api.Send(HttpMethod.Get, $"/api/households/{household}/evaluations", null);
        Assert.Equal(Charity, warnings[0].GetProperty("warnings")[0].GetProperty("caregiverName").GetString());
        var before = await Api.WeeklyDispatch("2020-W40");

        var erased = await Erase($"/api/care-agreements/{agreement}/caregiver/personal-data/erasure", 1);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(2, (await Json(erased)).GetProperty("version").GetInt32());
        Assert.Equal(PersonalDataMask.Erased, (await Api.Agreement(agreement)).GetProperty("caregiver").GetProperty("name").GetString());
        Assert.Equal(PersonalDataMask.Erased,
            (await Api.Household(household)).GetProperty("agreements")[0].GetProperty("caregiver").GetProperty("name").GetString());
        warnings = await Api.Send(HttpMethod.Get, $"/api/households/{household}/evaluations", null);
        Assert.Equal(PersonalDataMask.Erased, warnings[0].GetProperty("warnings")[0].GetProperty("caregiverName").GetString());
        Assert.DoesNotContain(Charity, await Database.Dump());
        var after = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal(before.GetProperty("county").GetRawText(), after.GetProperty("county").GetRawText());

        var again = await Erase($"/api/care-agreements/{agreement}/caregiver/personal-data/erasure", 2);
        var unknown = await Erase($"/api/care-agreements/{Guid.CreateVersion7()}/caregiver/personal-data/erasure", 1);
        var noReason = await Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/caregiver/personal-data/erasure", """{ "version": 2 }""");
        var notAdmin = await Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/caregiver/personal-data/erasure",
            """{ "version": 2, "reason": "x" }""", key: Keys.Hrss);
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.Forbidden),
            (again.StatusCode, unknown.StatusCode, noReason.StatusCode, notAdmin.StatusCode));
        Assert.Equal(2, (await Api.Agreement(agreement)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_caregiver_who_became_a_family_head_is_one_person_erased_at_the_familys_member_route()
    {
        var (household, _) = await HouseholdHeadedBy();
        var agreement = await Api.SignedAgreement(household, Requests.Agreement(CareMode.KinshipCare, caregiver: Kin));
        await Api.Evaluated(household, Requests.Evaluation(1));
        var caregiver = (await Api.Agreement(agreement)).GetProperty("caregiver");
        var family = caregiver.GetProperty("caregiverFamilyId").GetGuid();
        var head = (await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{family}", null)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        Assert.Equal(Kin, caregiver.GetProperty("name").GetString());

        var atAgreement = await Erase($"/api/care-agreements/{agreement}/caregiver/personal-data/erasure", 1);
        Assert.Equal(HttpStatusCode.Conflict, atAgreement.StatusCode);
        Assert.Contains($"/api/caregiver-families/{family}/members/{head}/personal-data/erasure", (await Json(atAgreement)).GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Erase($"/api/caregiver-families/{family}/members/{head}/personal-data/erasure", 2)).StatusCode);

        Assert.Equal(PersonalDataMask.Erased, (await Api.Agreement(agreement)).GetProperty("caregiver").GetProperty("name").GetString());
        Assert.Equal(PersonalDataMask.Erased, (await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{family}", null)).GetProperty("headName").GetString());
        var warnings = await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{family}/warnings", null);
        Assert.Equal(PersonalDataMask.Erased, warnings[0].GetProperty("warnings")[0].GetProperty("caregiverName").GetString());
        Assert.DoesNotContain(Kin, await Database.Dump());
    }

    [Fact]
    public async Task No_event_or_document_holds_a_head_name_an_address_or_a_caregiver_name_in_clear()
    {
        var (household, _) = await HouseholdHeadedBy();
        await Api.SignedAgreement(household, Requests.Agreement(CareMode.CharityCare, caregiver: Charity));
        await Api.SignedAgreement(household, Requests.Agreement(CareMode.KinshipCare, caregiver: Kin));
        await Api.Evaluated(household, Requests.Evaluation(1));
        await Api.Send(HttpMethod.Post, "/api/caregiver-families", new JsonObject
        {
            ["township"] = "mucheng", ["village"] = "西关村",
            ["head"] = new JsonObject { ["name"] = Family, ["birthDate"] = "1966-02-02", ["gender"] = "Male" },
        }, expectedStatus: 201);
        await Api.Send(HttpMethod.Put, $"/api/households/{household}", new JsonObject
        {
            ["version"] = 3, ["village"] = "东关村", ["headName"] = HeadName, ["address"] = Address, ["povertyCause"] = "Disability",
        });
        await Api.ProjectionsCaughtUp();
        await Api.AuditChainCaughtUp();

        var found = await Tables(HeadName, Address, Charity, Kin, Family);

        Assert.Empty(found);
        // The search can find what is there: the village, in clear by design.
        Assert.NotEmpty(await Tables("东关村"));
    }

    [Fact]
    public async Task A_household_recorded_before_names_were_sealed_still_loads_shows_its_plain_name_and_counts()
    {
        var household = Guid.CreateVersion7();
        await using (var session = Store.LightweightSession())
        {
            // An event as an earlier version wrote it: head name and address as plain strings.
            session.Events.StartStream<Household>(household, new HouseholdRegistered(household, "mucheng", "东关村",
                ProtectedValue.LegacyPlaintext("老户主"), ProtectedValue.LegacyPlaintext("老地址 1 号"), PovertyCause.Illness,
                Clock.GetUtcNow()));
            await session.SaveChangesAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using (var raw = await dataSource.OpenConnectionAsync())
        {
            await using var command = new NpgsqlCommand(
                "select data ->> 'headName', jsonb_typeof(data -> 'headName') from relief.mt_events where stream_id = $1", raw);
            command.Parameters.AddWithValue(household);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("老户主", "string"), (reader.GetString(0), reader.GetString(1)));
        }

        var view = await Api.Household(household);
        Assert.Equal(("老户主", "老地址 1 号"), (view.GetProperty("headName").GetString(), view.GetProperty("address").GetString()));
        var history = await (await Send(HttpMethod.Get, $"/api/households/{household}/history", key: Keys.Auditor)).Content.ReadAsStringAsync();
        Assert.Contains("老户主", history);
        var ledger = await (await Send(HttpMethod.Get, $"/api/households/{household}/ledger", key: Keys.Auditor)).Content.ReadAsStringAsync();
        Assert.Contains("老户主", ledger);
        var week = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal(1, week.GetProperty("county").GetProperty("households").GetProperty("value").GetInt32());
        var listed = await Api.Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W40/households-without-agreement", null, Keys.PovertyOffice);
        Assert.Equal("东关村 · 老户主", listed.GetProperty("items")[0].GetProperty("subject").GetString());
    }

    /// <summary>Where the given texts occur in clear: in <c>mt_events</c> and in every <c>mt_doc_*</c> table.</summary>
    private static async Task<List<string>> Tables(params string[] texts)
    {
        var found = new List<string>();
        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var tables = new List<string> { "relief.mt_events" };
        await using (var list = new NpgsqlCommand(
                         "select table_schema || '.' || table_name from information_schema.tables where table_name like 'mt_doc_%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        Assert.True(tables.Count > 20, $"only {tables.Count} tables found");
        foreach (var table in tables)
        {
            foreach (var text in texts)
            {
                await using var search = new NpgsqlCommand($"select count(*) from {table} t where t::text like $1", connection);
                search.Parameters.AddWithValue($"%{text}%");
                if ((long)(await search.ExecuteScalarAsync())! > 0) found.Add($"{table}: {text}");
            }
        }

        return found;
    }
}
