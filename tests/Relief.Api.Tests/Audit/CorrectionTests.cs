using System.Globalization;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Audit;

public class CorrectionTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<System.Text.Json.JsonElement> Void(long sequence, string key, int status = 200, string? reason = "录入错误：协议签在了错误的户上") =>
        Api.Send(HttpMethod.Post, "/api/audit/corrections",
            new JsonObject { ["sequence"] = sequence, ["reason"] = reason }, key, status);

    private async Task<long> SequenceOf(Guid household, string type) =>
        (await Api.Audit($"/api/households/{household}/history?type={type}")).GetProperty("items")[0].GetProperty("sequence").GetInt64();

    [Fact]
    public async Task A_mistaken_entry_is_voided_by_a_compensating_event_and_the_history_and_ledger_show_both()
    {
        var household = await Api.RegisteredHousehold();
        var agreement = await Api.SignedAgreement(household, key: Keys.Mucheng);
        var signed = await SequenceOf(household, "CareAgreementSigned");

        var saved = await Void(signed, Keys.Mucheng);
        Assert.Equal(agreement, saved.GetProperty("streamId").GetGuid());
        Assert.Equal(2, saved.GetProperty("version").GetInt32());

        var voids = (await Api.Audit($"/api/households/{household}/history?type=EntryVoided")).GetProperty("items");
        var voided = voids[0];
        Assert.Equal(agreement, voided.GetProperty("streamId").GetGuid());
        var data = voided.GetProperty("data");
        Assert.Equal(signed, data.GetProperty("voidedSequence").GetInt64());
        Assert.Equal("CareAgreementSigned", data.GetProperty("voidedEventType").GetString());
        Assert.Equal("Township", data.GetProperty("department").GetString());
        Assert.Equal("2020-10-01", data.GetProperty("voidedOn").GetString());
        Assert.Equal(agreement, data.GetProperty("streamId").GetGuid());
        Assert.Equal("dev-township-mucheng", voided.GetProperty("provenance").GetProperty("caller").GetString());

        var ledger = (await Api.Audit($"/api/households/{household}/ledger")).GetProperty("items").EnumerateArray().ToList();
        var original = ledger.Single(e => e.GetProperty("sequence").GetInt64() == signed);
        var compensating = ledger.Single(e => e.GetProperty("kind").GetString() == "EntryVoided");
        Assert.Equal(compensating.GetProperty("sequence").GetInt64(), original.GetProperty("voidedBy").GetInt64());
        Assert.StartsWith("作废更正（CareAgreementSigned", compensating.GetProperty("summary").GetString());

        await Void(signed, Keys.Mucheng, 409);
        await Void(compensating.GetProperty("sequence").GetInt64(), Keys.Mucheng, 409);
        // The agreement itself still loads, at the version the correction answered: the next write
        // sends that version back and is accepted.
        Assert.Equal(2, (await Api.Agreement(agreement)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Only_the_recording_department_or_the_poverty_office_may_void_and_only_with_a_reason()
    {
        var household = await Api.RegisteredHousehold();
        await Api.SignedAgreement(household, key: Keys.Mucheng);
        var registered = await SequenceOf(household, "HouseholdRegistered");
        var signed = await SequenceOf(household, "CareAgreementSigned");

        await Void(registered, Keys.Hrss, 403);
        await Void(registered, Keys.Auditor, 403);
        await Void(signed, Keys.Sanyang, 403);
        await Void(signed, Keys.Mucheng, 400, reason: " ");
        await Void(999_999, Keys.PovertyOffice, 404);
        await Void(registered, Keys.PovertyOffice);
        await Api.AuditChainCaughtUp();
        Assert.True((await Api.Audit("/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_caller_who_may_not_void_the_entry_is_refused_before_any_event_but_the_entry_is_read()
    {
        var household = await Api.RegisteredHousehold();
        await Api.SignedAgreement(household, key: Keys.Mucheng);
        var signed = await SequenceOf(household, "CareAgreementSigned");

        async Task<IReadOnlyList<string>> StatementsOfVoid(string key, System.Net.HttpStatusCode expected)
        {
            using var sql = new SqlStatements();
            var response = await Send(HttpMethod.Post, "/api/audit/corrections",
                new JsonObject { ["sequence"] = signed, ["reason"] = "录入错误" }.ToJsonString(), key,
                headers: new Dictionary<string, string> { ["traceparent"] = sql.TraceParent });
            Assert.Equal(expected, response.StatusCode);
            return sql.All;
        }

        // No write scope: refused before anything is read.
        Assert.DoesNotContain(await StatementsOfVoid(Keys.Auditor, System.Net.HttpStatusCode.Forbidden), s => s.Contains("mt_events"));

        // Another township: the entry is read by its sequence (its township decides), and nothing else.
        var township = await StatementsOfVoid(Keys.Sanyang, System.Net.HttpStatusCode.Forbidden);
        Assert.Contains(township, s => s.Contains("mt_events") && s.Contains("e.seq_id = $1"));
        Assert.DoesNotContain(township, s => s.Contains("EntryVoided"));

        // Its own township: only then are the entry's stream's events searched for an earlier void.
        var allowed = await StatementsOfVoid(Keys.Mucheng, System.Net.HttpStatusCode.OK);
        Assert.Contains(allowed, s => s.Contains("EntryVoided") && s.Contains("stream_id = $1"));
    }

    [Fact]
    public async Task A_void_is_stored_only_in_the_views_of_its_own_stream_so_voids_on_many_streams_all_go_through()
    {
        var (first, firstAgreement) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        var (second, secondAgreement) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        var households = (await Api.Send(HttpMethod.Get, "/api/households?limit=100", null)).GetProperty("items").GetArrayLength();

        await Void(await SequenceOf(first, "CareAgreementSigned"), Keys.PovertyOffice);
        await Void(await SequenceOf(second, "CareAgreementSigned"), Keys.PovertyOffice);
        await Void(await SequenceOf(second, "HouseholdRegistered"), Keys.PovertyOffice);

        // Each view keeps documents of its own streams only: none for an agreement's id outside the agreement's views.
        var tables = (await Api.Sql(
            "select string_agg(table_name, ',' order by table_name) from information_schema.tables " +
            "where table_schema = 'relief' and table_name like 'mt_doc_%' and table_name not like 'mt_doc_dispatch%'"))!.ToString()!.Split(',');
        foreach (var table in tables.Where(t => t is not "mt_doc_careagreementdetails"))
        {
            var stray = await Api.Sql($"select count(*) from relief.{table} where id::text in ($1, $2)",
                firstAgreement.ToString(), secondAgreement.ToString());
            Assert.True(Convert.ToInt64(stray, CultureInfo.InvariantCulture) == 0, $"{table} holds a document for an agreement's stream");
        }

        Assert.Equal(0L, Convert.ToInt64(await Api.Sql("select count(*) from relief.mt_doc_careagreementdetails where id = $1", second), CultureInfo.InvariantCulture));
        Assert.Equal(households, (await Api.Send(HttpMethod.Get, "/api/households?limit=100", null)).GetProperty("items").GetArrayLength());
        Assert.Equal(2, (await Api.Agreement(firstAgreement)).GetProperty("version").GetInt32());
    }
}
