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
}
