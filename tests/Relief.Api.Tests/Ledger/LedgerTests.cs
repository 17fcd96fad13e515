using System.Text.Json;

namespace Relief.Api.Tests.Ledger;

public class LedgerTests(AppFixture fixture) : ApiTest(fixture)
{
    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task The_household_ledger_lists_every_entry_in_order_with_its_department_and_a_summary_line()
    {
        var household = await Api.RegisteredHousehold();
        await Api.SignedAgreement(household, key: Keys.Mucheng);

        var ledger = Items(await Api.Audit($"/api/households/{household}/ledger", Keys.Hrss));
        var registered = ledger[0];
        Assert.Equal("HouseholdRegistered", registered.GetProperty("kind").GetString());
        Assert.Equal("PovertyAlleviationOffice", registered.GetProperty("department").GetString());
        Assert.Equal("2020-10-01", registered.GetProperty("date").GetString());
        Assert.StartsWith("登记兜底户（张三", registered.GetProperty("summary").GetString());
        Assert.StartsWith("Household registered (张三", registered.GetProperty("summaryEn").GetString());
        Assert.Equal(household, registered.GetProperty("streamId").GetGuid());

        var signed = ledger.Single(e => e.GetProperty("kind").GetString() == "CareAgreementSigned");
        Assert.Equal("Township", signed.GetProperty("department").GetString());
        Assert.Equal("2020-04-01", signed.GetProperty("date").GetString());
        Assert.Contains("NeighbourCare", signed.GetProperty("summary").GetString());
        Assert.Contains(ledger, e => e.GetProperty("kind").GetString() == "CaregiverFamilyRegistered");
    }

    [Fact]
    public async Task A_member_line_names_the_member_opened_from_the_sealed_record_and_erased_once_forgotten()
    {
        var household = await Api.RegisteredHousehold(Requests.Household("mucheng", Requests.Member("李四妹", Relation.Spouse)));

        var added = Items(await Api.Audit($"/api/households/{household}/ledger", Keys.Hrss))
            .Single(e => e.GetProperty("kind").GetString() == "HouseholdMemberAdded");
        Assert.Equal("增加家庭成员（李四妹, Spouse）", added.GetProperty("summary").GetString());
        Assert.Equal("Member added (李四妹, Spouse)", added.GetProperty("summaryEn").GetString());

        var erasure = await Send(HttpMethod.Post, $"/api/households/{household}/personal-data/erasure",
            """{ "version": 2, "reason": "PIPL erasure request 2020-33" }""");
        Assert.Equal(System.Net.HttpStatusCode.OK, erasure.StatusCode);
        var erased = Items(await Api.Audit($"/api/households/{household}/ledger", Keys.Hrss))
            .Single(e => e.GetProperty("kind").GetString() == "HouseholdMemberAdded");
        Assert.Equal("Member added ([erased], Spouse)", erased.GetProperty("summaryEn").GetString());
    }

    [Fact]
    public async Task The_county_ledger_is_one_list_filtered_by_township_and_bound_for_a_township_key()
    {
        var mucheng = await Api.RegisteredHousehold();
        var sanyang = await Api.RegisteredHousehold(Requests.Household("sanyang"));

        var all = Items(await Api.Audit("/api/ledger"));
        Assert.Contains(all, e => e.GetProperty("streamId").GetGuid() == mucheng);
        Assert.Contains(all, e => e.GetProperty("streamId").GetGuid() == sanyang);

        var onlySanyang = Items(await Api.Audit("/api/ledger?township=sanyang", Keys.Reports));
        Assert.NotEmpty(onlySanyang);
        Assert.All(onlySanyang, e => Assert.Equal(sanyang, e.GetProperty("streamId").GetGuid()));

        // A township's report reader (a token with reports:read bound to sanyang) sees its own township only.
        var token = Tokens.Issue("sanyang-reports", "Township", "reports:read", "sanyang");
        var bearer = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };
        var bound = await Send(HttpMethod.Get, "/api/ledger", key: null, headers: bearer);
        Assert.Equal(System.Net.HttpStatusCode.OK, bound.StatusCode);
        Assert.All(Items(await Json(bound)), e => Assert.Equal(sanyang, e.GetProperty("streamId").GetGuid()));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden,
            (await Send(HttpMethod.Get, "/api/ledger?township=mucheng", key: null, headers: bearer)).StatusCode);
        await Api.Audit($"/api/households/{mucheng}/ledger", Keys.Sanyang, 403);
    }

    [Fact]
    public async Task The_county_ledger_as_known_on_a_date_leaves_out_later_entries_and_pages()
    {
        await Api.RegisteredHousehold();
        await Api.RegisteredHousehold(Requests.Household("sanyang"));

        Assert.Empty(Items(await Api.Audit("/api/ledger?asOf=2020-10-01")));
        Assert.Equal(4, Items(await Api.Audit($"/api/ledger?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}")).Count);

        var page = await Api.Audit("/api/ledger?limit=3");
        Assert.Equal(3, Items(page).Count);
        var next = await Api.Audit($"/api/ledger?limit=3&cursor={page.GetProperty("nextCursor").GetString()}");
        Assert.Single(Items(next));
        Assert.Equal(JsonValueKind.Null, next.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task The_county_ledger_needs_audit_read_or_reports_read()
    {
        await Api.Audit("/api/ledger", Keys.Hrss, 403);
        await Api.Audit("/api/ledger?township=nowhere", Keys.Auditor, 400);
    }
}
