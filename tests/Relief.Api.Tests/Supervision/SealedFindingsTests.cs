using System.Net;
using System.Text.Json.Nodes;
using Relief.Core.Protection;

namespace Relief.Api.Tests.Supervision;

/// <summary>
/// An inspection that names a household (else a caregiver family) may describe its people: its
/// findings and follow-up notes are sealed under that record's key, opened by the inspection routes,
/// <c>[erased]</c> once the record was erased. An inspection that names neither (a centre, a township)
/// keeps them in clear, as a plain string.
/// </summary>
public sealed class SealedFindingsTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string Findings = "户主褥疮未愈-独居-IF";
    private const string Note = "已送医换药-IF";

    private async Task<Guid> Inspected(JsonObject body, string findings, string note)
    {
        body["findings"] = findings;
        var id = await Api.RecordedInspection(body);
        await Api.Send(HttpMethod.Post, $"/api/inspections/{id}/follow-ups/1/completion",
            new JsonObject { ["version"] = 1, ["completedOn"] = "2020-09-20", ["note"] = note });
        return id;
    }

    [Fact]
    public async Task A_households_inspection_is_sealed_under_its_key_and_erased_with_it_and_a_centres_stays_clear()
    {
        var household = await Api.RegisteredHousehold();
        var family = await Api.RegisteredFamily();
        var ofHousehold = await Inspected(Requests.Inspection(householdId: household, followUps: ("换药", "2020-09-30", "HealthCommission")), Findings, Note);
        var familyBody = Requests.Inspection(followUps: ("换药", "2020-09-30", "HealthCommission"));
        familyBody["caregiverFamilyId"] = family.ToString();
        var ofFamily = await Inspected(familyBody, Findings + "-family", Note + "-family");
        var ofCentre = await Inspected(Requests.Inspection(followUps: ("换洗被褥", "2020-09-30", "CivilAffairs")), "院内卫生较差-IC", "已整改-IC");

        Assert.Empty(await Database.InClear(Findings, Note));
        Assert.Equal(2, (await Database.InClear("院内卫生较差-IC", "已整改-IC")).Count(f => f.StartsWith("relief.mt_events", StringComparison.Ordinal)));
        Assert.Equal("string", await Api.Sql("select jsonb_typeof(data -> 'findings') from relief.mt_events where stream_id = $1", ofCentre));
        var shown = await Api.Send(HttpMethod.Get, $"/api/inspections/{ofHousehold}", null, Keys.Auditor);
        Assert.Equal((Findings, Note), (shown.GetProperty("findings").GetString(), shown.GetProperty("followUps")[0].GetProperty("note").GetString()));
        var list = (await Api.Send(HttpMethod.Get, "/api/inspections", null, Keys.Auditor)).GetProperty("items").GetRawText();
        Assert.Contains(Findings + "-family", list);
        Assert.Contains("院内卫生较差-IC", list);

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, $"/api/households/{household}/personal-data/erasure",
            """{ "version": 2, "reason": "PIPL erasure request 2020-91" }""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, $"/api/caregiver-families/{family}/personal-data/erasure",
            $$"""{ "version": {{(await Api.Family(family)).GetProperty("version").GetInt32()}}, "reason": "PIPL erasure request 2020-92" }""")).StatusCode);

        foreach (var id in new[] { ofHousehold, ofFamily })
        {
            var erased = await Api.Send(HttpMethod.Get, $"/api/inspections/{id}", null, Keys.Auditor);
            Assert.Equal((PersonalDataMask.Erased, PersonalDataMask.Erased),
                (erased.GetProperty("findings").GetString(), erased.GetProperty("followUps")[0].GetProperty("note").GetString()));
        }

        var centre = await Api.Send(HttpMethod.Get, $"/api/inspections/{ofCentre}", null, Keys.Auditor);
        Assert.Equal("院内卫生较差-IC", centre.GetProperty("findings").GetString());
        var everything = await (await Send(HttpMethod.Get, "/api/ledger?limit=200", key: Keys.Auditor)).Content.ReadAsStringAsync()
                         + await Database.Dump();
        Assert.DoesNotContain(Findings, everything);
        Assert.DoesNotContain(Note, everything);
    }
}
