using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Supervision;

/// <summary>逐户核实: a department checks a policy it owns, household by household, in one township.</summary>
public sealed class VerificationRoundTests(AppFixture fixture) : ApiTest(fixture)
{
    private static JsonObject Round(string policy = "FinancialLoan", string township = "mucheng", string openedOn = "2020-09-22") => new()
    {
        ["township"] = township, ["policy"] = policy, ["openedOn"] = openedOn,
    };

    private static JsonObject Check(int version, Guid subject, string outcome = "Confirmed", string? note = null, string checkedOn = "2020-09-25") => new()
    {
        ["version"] = version, ["subjectId"] = subject.ToString(), ["outcome"] = outcome, ["checkedOn"] = checkedOn, ["note"] = note,
    };

    private async Task Survey(Guid familyId, params string[] needs)
    {
        var version = (await Api.Family(familyId)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Put, $"/api/caregiver-families/{familyId}/needs", new JsonObject
        {
            ["version"] = version, ["surveyedOn"] = "2020-09-10", ["needs"] = new JsonArray(needs.Select(n => (JsonNode)n).ToArray()),
        });
    }

    /// <summary>A family with a loan intent, a family that needs a loan, and a family that needs only medical assistance, all of 木城.</summary>
    private async Task<(Guid WithCase, Guid InNeed, Guid Other, Guid Case)> Families()
    {
        var (withCase, loan) = await Api.FamilyWithLoanIntent();
        var inNeed = await Api.QualifiedFamily(Requests.CaregiverFamily("mucheng", Requests.FamilyMember("王五", sequence: 31)));
        await Survey(inNeed, "FinancialLoan");
        var other = await Api.QualifiedFamily(Requests.CaregiverFamily("mucheng", Requests.FamilyMember("赵六", sequence: 41)));
        await Survey(other, "MedicalAssistance");
        return (withCase, inNeed, other, loan);
    }

    private Task<JsonElement> Opened(JsonObject? body = null, string key = PolicyKeys.Bank) =>
        Api.Send(HttpMethod.Post, "/api/verification-rounds", body ?? Round(), key, 201);

    [Fact]
    public async Task A_round_lists_the_families_due_each_is_checked_and_it_closes_with_its_figures()
    {
        var (withCase, inNeed, _, loan) = await Families();

        var roundId = (await Opened()).GetProperty("id").GetGuid();
        var round = await Api.Send(HttpMethod.Get, $"/api/verification-rounds/{roundId}", null);
        Assert.Equal(("Bank", 2, true), (round.GetProperty("department").GetString(), round.GetProperty("due").GetInt32(), round.GetProperty("open").GetBoolean()));
        var entries = round.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("subjectId").GetGuid());
        Assert.Equal(new[] { inNeed, withCase }.Order(), entries.Keys.Order());
        Assert.Equal(loan, entries[withCase].GetProperty("caseId").GetGuid());

        var confirmed = await Api.Send(HttpMethod.Post, $"/api/verification-rounds/{roundId}/checks", Check(1, withCase), PolicyKeys.Bank);
        Assert.Equal(2, confirmed.GetProperty("version").GetInt32());
        await Api.Send(HttpMethod.Post, $"/api/verification-rounds/{roundId}/checks", Check(2, inNeed, "Changed", "已外出务工，不再需要贷款"), PolicyKeys.Bank);
        var closed = await Api.Send(HttpMethod.Post, $"/api/verification-rounds/{roundId}/close",
            new JsonObject { ["version"] = 3, ["closedOn"] = "2020-09-30" }, PolicyKeys.Bank);

        Assert.Equal(4, closed.GetProperty("version").GetInt32());
        round = await Api.Send(HttpMethod.Get, $"/api/verification-rounds/{roundId}", null);
        Assert.Equal((false, "2020-09-30", 2, 1, 1, 0), (round.GetProperty("open").GetBoolean(), round.GetProperty("closedOn").GetString(),
            round.GetProperty("due").GetInt32(), round.GetProperty("confirmed").GetInt32(), round.GetProperty("changed").GetInt32(),
            round.GetProperty("unchecked").GetInt32()));
        var changed = round.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("subjectId").GetGuid() == inNeed);
        Assert.Equal(("Changed", "已外出务工，不再需要贷款"), (changed.GetProperty("outcome").GetString(), changed.GetProperty("note").GetString()));
        var listed = await Api.Send(HttpMethod.Get, "/api/verification-rounds?open=false&township=mucheng", null);
        Assert.Equal(roundId, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_check_must_name_a_subject_due_say_what_changed_and_come_once_in_an_open_round()
    {
        var (withCase, inNeed, other, _) = await Families();
        var roundId = (await Opened()).GetProperty("id").GetGuid();
        var url = $"/api/verification-rounds/{roundId}/checks";

        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, url, Check(1, other).ToJsonString(), PolicyKeys.Bank)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, url, Check(1, inNeed, "Changed").ToJsonString(), PolicyKeys.Bank)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, url, Check(1, inNeed, checkedOn: "2020-09-21").ToJsonString(), PolicyKeys.Bank)).StatusCode);
        Assert.Equal(1, (await Api.Send(HttpMethod.Get, $"/api/verification-rounds/{roundId}", null)).GetProperty("version").GetInt32());

        await Api.Send(HttpMethod.Post, url, Check(1, withCase), PolicyKeys.Bank);
        var stale = await Send(HttpMethod.Post, url, Check(1, inNeed).ToJsonString(), PolicyKeys.Bank);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var twice = await Send(HttpMethod.Post, url, Check(2, withCase).ToJsonString(), PolicyKeys.Bank);
        Assert.Equal("urn:relief:problem:already-checked", (await Json(twice)).GetProperty("type").GetString());

        await Api.Send(HttpMethod.Post, $"/api/verification-rounds/{roundId}/close", new JsonObject { ["version"] = 2, ["closedOn"] = "2020-09-30" }, PolicyKeys.Bank);
        var late = await Send(HttpMethod.Post, url, Check(3, inNeed).ToJsonString(), PolicyKeys.Bank);
        Assert.Equal("urn:relief:problem:round-closed", (await Json(late)).GetProperty("type").GetString());
        var again = await Send(HttpMethod.Post, $"/api/verification-rounds/{roundId}/close", new JsonObject { ["version"] = 3, ["closedOn"] = "2020-09-30" }.ToJsonString(), PolicyKeys.Bank);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Only_a_department_owning_the_policy_opens_a_round_one_at_a_time_and_only_it_records_in_it()
    {
        await Families();

        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/api/verification-rounds", Round().ToJsonString(), PolicyKeys.Health)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/api/verification-rounds", Round().ToJsonString(), Keys.Mucheng)).StatusCode);
        var roundId = (await Opened()).GetProperty("id").GetGuid();
        var second = await Send(HttpMethod.Post, "/api/verification-rounds", Round().ToJsonString(), Keys.PovertyOffice);
        Assert.Equal("urn:relief:problem:round-already-open", (await Json(second)).GetProperty("type").GetString());
        var byOffice = await Send(HttpMethod.Post, $"/api/verification-rounds/{roundId}/close",
            new JsonObject { ["version"] = 1, ["closedOn"] = "2020-09-30" }.ToJsonString(), Keys.PovertyOffice);
        Assert.Equal(HttpStatusCode.Forbidden, byOffice.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/api/verification-rounds", Round(township: "sanyang").ToJsonString(), PolicyKeys.Bank)).StatusCode);
    }

    [Theory]
    [InlineData("township", "nowhere")]
    [InlineData("policy", "Loans")]
    [InlineData("policy", null)]
    [InlineData("openedOn", "2020-10-02")]
    public async Task Bad_input_is_a_400_and_opens_nothing(string field, string? value)
    {
        var body = Round();
        body[field] = value;

        var response = await Send(HttpMethod.Post, "/api/verification-rounds", body.ToJsonString(), PolicyKeys.Bank);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/verification-rounds", null)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_weekly_report_counts_rounds_open_and_closed()
    {
        await Families();
        var roundId = (await Opened()).GetProperty("id").GetGuid();
        await Api.Send(HttpMethod.Post, $"/api/verification-rounds/{roundId}/close", new JsonObject { ["version"] = 1, ["closedOn"] = "2020-10-01" }, PolicyKeys.Bank);

        var week39 = await Api.WeeklyDispatch("2020-W39");
        var week40 = await Api.WeeklyDispatch("2020-W40");

        Assert.Equal(((1, 1), (0, 0)), (week39.County("verificationRoundsOpen"), week39.County("verificationRoundsClosed")));
        Assert.Equal(((0, -1), (1, 1)), (week40.County("verificationRoundsOpen"), week40.Township("mucheng", "verificationRoundsClosed")));
    }
}
