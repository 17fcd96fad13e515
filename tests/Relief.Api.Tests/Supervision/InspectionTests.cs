using System.Net;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Supervision;

public sealed class InspectionTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<HttpResponseMessage> Record(JsonObject body, string key = Keys.PovertyOffice) =>
        Send(HttpMethod.Post, "/api/inspections", body.ToJsonString(), key);

    private Task<HttpResponseMessage> Complete(Guid inspectionId, int number, int version = 1, string completedOn = "2020-09-28",
        string key = Keys.PovertyOffice) =>
        Send(HttpMethod.Post, $"/api/inspections/{inspectionId}/follow-ups/{number}/completion",
            $$"""{"version":{{version}},"completedOn":"{{completedOn}}","note":"已换洗"}""", key);

    [Fact]
    public async Task An_inspection_of_a_household_is_recorded_with_numbered_follow_ups()
    {
        var household = await Api.RegisteredHousehold();

        var response = await Record(Requests.Inspection(householdId: household,
            followUps: [("换洗被褥", "2020-09-30", "CivilAffairs"), ("修缮屋顶", "2020-10-31", "Township")]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await Json(response)).GetProperty("id").GetGuid();
        var inspection = await Api.Send(HttpMethod.Get, $"/api/inspections/{id}", null);
        Assert.Equal(("Media", household, 2, "2020-09-30"), (inspection.GetProperty("inspector").GetString(),
            inspection.GetProperty("householdId").GetGuid(), inspection.GetProperty("openFollowUps").GetInt32(),
            inspection.GetProperty("earliestOpenDueOn").GetString()));
        Assert.Equal([1, 2], inspection.GetProperty("followUps").EnumerateArray().Select(f => f.GetProperty("number").GetInt32()));
        var list = await Api.Send(HttpMethod.Get, $"/api/inspections?householdId={household}&inspector=Media", null);
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_completed_follow_up_closes_and_cannot_be_completed_again()
    {
        var id = await Api.RecordedInspection();

        var done = await Complete(id, 1);
        var again = await Complete(id, 1, version: 2);
        var stale = await Complete(id, 1, version: 1);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(2, (await Json(done)).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("The follow-up is already completed.", (await Json(again)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var inspection = await Api.Send(HttpMethod.Get, $"/api/inspections/{id}", null);
        Assert.Equal(0, inspection.GetProperty("openFollowUps").GetInt32());
        Assert.Equal("2020-09-28", inspection.GetProperty("followUps")[0].GetProperty("completedOn").GetString());
    }

    [Fact]
    public async Task Open_follow_ups_past_due_are_listed_most_overdue_first()
    {
        var first = await Api.RecordedInspection(Requests.Inspection(followUps: [("换洗被褥", "2020-09-20", "CivilAffairs"), ("修缮屋顶", "2020-10-31", "Township")]));
        var second = await Api.RecordedInspection(Requests.Inspection("sanyang", followUps: [("送医复查", "2020-09-25", "HealthCommission")]));
        var closed = await Api.RecordedInspection(Requests.Inspection(followUps: [("清理院落", "2020-09-16", "Township")]));
        await Complete(closed, 1, completedOn: "2020-09-20");

        var overdue = await Api.Send(HttpMethod.Get, "/api/inspections/overdue-follow-ups", null);
        var health = await Api.Send(HttpMethod.Get, "/api/inspections/overdue-follow-ups?owner=HealthCommission", null);
        Clock.Advance(TimeSpan.FromDays(31));
        var later = await Api.Send(HttpMethod.Get, "/api/inspections/overdue-follow-ups?township=mucheng", null);

        Assert.Equal([(first, 1, 11), (second, 1, 6)], overdue.EnumerateArray()
            .Select(f => (f.GetProperty("inspectionId").GetGuid(), f.GetProperty("number").GetInt32(), f.GetProperty("daysOverdue").GetInt32())));
        Assert.Equal(second, Assert.Single(health.EnumerateArray()).GetProperty("inspectionId").GetGuid());
        Assert.Equal([1, 2], later.EnumerateArray().Select(f => f.GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task Invalid_inspections_are_400s_naming_the_fields()
    {
        var body = Requests.Inspection(inspectedOn: "2020-09-15", followUps: [("换洗被褥", "2020-09-14", "CivilAffairs")]);
        body.Remove("findings");
        body["township"] = "atlantis";
        var householdElsewhere = await Api.RegisteredHousehold(Requests.Household("sanyang"));

        var invalid = await Record(body);
        var wrongTownship = await Record(Requests.Inspection("mucheng", householdElsewhere));
        var badOwner = await Record(Requests.Inspection(followUps: [("x", "2020-09-30", "Police")]));

        Assert.Equal(["findings", "followUps[0].dueOn", "township"],
            (await Json(invalid)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["householdId"], (await Json(wrongTownship)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.BadRequest, badOwner.StatusCode);
    }

    [Fact]
    public async Task Unknown_inspections_households_families_and_follow_ups_are_404s()
    {
        var id = await Api.RecordedInspection();
        var household = await Api.RegisteredHousehold();

        var noHousehold = await Record(Requests.Inspection(householdId: Guid.CreateVersion7()));
        var familyBody = Requests.Inspection();
        familyBody["caregiverFamilyId"] = Guid.CreateVersion7().ToString();
        var noFamily = await Record(familyBody);
        var noInspection = await Complete(Guid.CreateVersion7(), 1);
        var notAnInspection = await Complete(household, 1);
        var noFollowUp = await Complete(id, 7);
        var read = await Send(HttpMethod.Get, $"/api/inspections/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, noHousehold.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noFamily.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noInspection.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAnInspection.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noFollowUp.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Inspections_are_for_their_owners_and_a_township_records_only_its_own()
    {
        var sanyang = await Api.RecordedInspection(Requests.Inspection("sanyang", followUps: [("换洗被褥", "2020-09-30", "Township")]));

        var hrss = await Record(Requests.Inspection(), Keys.Hrss);
        var foreign = await Record(Requests.Inspection("sanyang"), Keys.Mucheng);
        var foreignCompletion = await Complete(sanyang, 1, key: Keys.Mucheng);
        var own = await Record(Requests.Inspection("mucheng"), Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Forbidden, hrss.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignCompletion.StatusCode);
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
    }

    [Fact]
    public async Task A_completion_needs_a_version_and_a_date_not_before_the_inspection()
    {
        var id = await Api.RecordedInspection();

        var noVersion = await Send(HttpMethod.Post, $"/api/inspections/{id}/follow-ups/1/completion", """{"completedOn":"2020-09-20"}""");
        var early = await Complete(id, 1, completedOn: "2020-09-01");
        var future = await Complete(id, 1, completedOn: "2020-10-02");

        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
    }
}
