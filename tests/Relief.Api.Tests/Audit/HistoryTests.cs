using System.Globalization;
using Relief.Api.Audit.Disclosures;
using System.Text.Json;
using Marten;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Tests.Audit;

public class HistoryTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<JsonElement> History(Guid household, string query = "", string key = Keys.Auditor, int status = 200) =>
        await Api.Audit($"/api/households/{household}/history{query}", key, status);

    private static List<string> Types(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!).ToList();

    [Fact]
    public async Task History_has_the_household_its_agreement_its_caregiver_family_its_stay_and_its_evaluation_with_provenance()
    {
        var response = await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString(), headers: new Dictionary<string, string>
        {
            ["X-Operator"] = "王会计", ["X-External-Ref"] = "MC-2020-0017", ["X-Correlation-Id"] = "weekly-upload-42",
        });
        var household = (await Json(response)).GetProperty("id").GetGuid();
        var agreement = await Api.SignedAgreement(household);
        await Api.Evaluated(household);
        var other = await Api.RegisteredHousehold(Requests.Household("sanyang"));
        var centre = await Api.CentreWithBeds(3);
        var person = new Person(household, (await Api.Household(household)).GetProperty("members")[0].GetProperty("memberId").GetGuid());
        await Api.Admitted(centre, person);

        var history = await History(household);
        var types = Types(history);
        Assert.Equal(["HouseholdRegistered", "HouseholdMemberAdded"], types.Take(2));
        Assert.Contains("CareAgreementSigned", types);
        Assert.Contains("CaregiverFamilyRegistered", types);
        Assert.Contains("HouseholdEvaluated", types);
        Assert.Contains("ResidentAdmitted", types);
        Assert.DoesNotContain("CareCentreRegistered", types);
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(items, i => i.GetProperty("streamId").GetGuid() == other);
        Assert.Contains(items, i => i.GetProperty("streamId").GetGuid() == agreement && i.GetProperty("streamKind").GetString() == "care_agreement");
        var sequences = items.Select(i => i.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);

        var registered = items[0];
        var provenance = registered.GetProperty("provenance");
        Assert.Equal("PovertyAlleviationOffice", provenance.GetProperty("department").GetString());
        Assert.Equal("dev-poverty-office", provenance.GetProperty("caller").GetString());
        Assert.Equal("王会计", provenance.GetProperty("operator").GetString());
        Assert.Equal("MC-2020-0017", provenance.GetProperty("externalRef").GetString());
        Assert.Equal("weekly-upload-42", provenance.GetProperty("correlationId").GetString());
        Assert.Equal("2020-10-01", registered.GetProperty("businessDate").GetString());
        Assert.True(registered.TryGetProperty("recordedAt", out _));
        Assert.Equal("2020-09-01", items.Single(i => i.GetProperty("type").GetString() == "ResidentAdmitted").GetProperty("businessDate").GetString());
    }

    [Fact]
    public async Task Identifiers_in_event_data_are_masked_never_ciphertext_and_revealed_with_pii_read_which_is_recorded()
    {
        var household = await Api.RegisteredHousehold();

        var masked = (await History(household)).GetProperty("items")[1];
        Assert.Equal("HouseholdMemberAdded", masked.GetProperty("type").GetString());
        var member = masked.GetProperty("data").GetProperty("member");
        var personal = member.GetProperty("personal");
        Assert.Equal("张三", personal.GetProperty("name").GetString());
        Assert.Matches(@"^\d{6}\*{8}\d{3}[\dX]$", personal.GetProperty("residentId").GetString());
        Assert.Equal("138****8000", personal.GetProperty("phone").GetString());
        Assert.False(member.TryGetProperty("residentIdIndex", out _));
        Assert.DoesNotContain("ciphertext", masked.GetRawText());

        await using (var session = Store.QuerySession())
            Assert.Empty(await session.Query<PersonalDataDisclosure>().ToListAsync());

        var revealed = (await History(household, key: Keys.PovertyOffice)).GetProperty("items")[1];
        Assert.Equal("13800138000",
            revealed.GetProperty("data").GetProperty("member").GetProperty("personal").GetProperty("phone").GetString());
        await using (var session = Store.QuerySession())
        {
            var disclosure = Assert.Single(await session.Query<PersonalDataDisclosure>().ToListAsync());
            Assert.Equal(household, disclosure.OwnerId);
            Assert.Equal("dev-poverty-office", disclosure.Caller);
        }
    }

    [Fact]
    public async Task A_closed_household_s_archived_events_are_in_its_history()
    {
        var household = await Api.RegisteredHousehold();
        await Api.Send(HttpMethod.Post, $"/api/households/{household}/closure",
            new System.Text.Json.Nodes.JsonObject { ["version"] = 2, ["reason"] = "MovedAway", ["closedOn"] = "2020-09-30" });

        var items = (await History(household)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["HouseholdRegistered", "HouseholdMemberAdded", "HouseholdClosed", "Archived"],
            items.Select(i => i.GetProperty("type").GetString()));
        Assert.All(items, i => Assert.True(i.GetProperty("archived").GetBoolean()));
        Assert.Equal("2020-09-30", items[2].GetProperty("businessDate").GetString());
    }

    [Fact]
    public async Task History_is_paged_and_filtered_by_department_type_and_dates()
    {
        var household = await Api.RegisteredHousehold();
        await Api.SignedAgreement(household, key: Keys.Mucheng);

        var first = await History(household, "?limit=2");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("nextCursor").GetString();
        var rest = await History(household, $"?limit=2&cursor={cursor}");
        Assert.True(rest.GetProperty("items").GetArrayLength() >= 1);
        Assert.True(rest.GetProperty("items")[0].GetProperty("sequence").GetInt64() > long.Parse(cursor!, CultureInfo.InvariantCulture));

        Assert.All(Types(await History(household, "?department=Township")), t => Assert.NotEqual("HouseholdRegistered", t));
        Assert.Equal(["CareAgreementSigned"], Types(await History(household, "?type=CareAgreementSigned")));
        // The agreement was signed on 2020-04-01 (its business date), and recorded today.
        Assert.Equal(["CareAgreementSigned"], Types(await History(household, "?dates=business&from=2020-04-01&to=2020-04-01")));
        Assert.Empty(Types(await History(household, "?to=2020-01-01")));
        Assert.Empty(Types(await History(household, "?asOf=2020-01-01")));

        var invalid = await History(household, "?department=Banks&dates=whenever&limit=0&cursor=x&asOf=yesterday", status: 400);
        foreach (var field in new[] { "department", "dates", "limit", "cursor", "asOf" })
            Assert.True(invalid.GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task History_needs_audit_read_respects_the_township_binding_and_answers_404_for_an_unknown_household()
    {
        var household = await Api.RegisteredHousehold();
        await History(household, key: Keys.Hrss, status: 403);
        await History(Guid.CreateVersion7(), status: 404);
    }
}
