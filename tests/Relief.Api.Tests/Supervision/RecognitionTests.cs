using System.Net;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Supervision;

public sealed class RecognitionTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<HttpResponseMessage> Post(string url, JsonNode body, string key = Keys.PovertyOffice) =>
        Send(HttpMethod.Post, url, body.ToJsonString(), key);

    private static JsonObject Honour(string kind = "FilialPiety", Guid? meetingId = null) => new()
    {
        ["kind"] = kind, ["title"] = "孝老爱亲模范家庭", ["awardedOn"] = "2020-09-25", ["meetingId"] = meetingId?.ToString(),
    };

    private static JsonObject Reward(decimal amount = 500m) => new()
    {
        ["amount"] = amount, ["awardedOn"] = "2020-09-25", ["reason"] = "托养照料突出",
    };

    [Fact]
    public async Task A_meeting_honours_families_which_then_show_it_with_their_honours_and_rewards()
    {
        var family = await Api.RegisteredFamily();

        var meeting = await Post("/api/exemplary-deed-meetings", Requests.Meeting("mucheng", family));
        Assert.Equal(HttpStatusCode.Created, meeting.StatusCode);
        var meetingId = (await Json(meeting)).GetProperty("id").GetGuid();
        var honour = await Post($"/api/caregiver-families/{family}/honours", Honour(meetingId: meetingId));
        var reward = await Post($"/api/caregiver-families/{family}/material-rewards", Reward(500.50m));
        await Post($"/api/caregiver-families/{family}/material-rewards", Reward(200m));

        Assert.Equal(HttpStatusCode.Created, honour.StatusCode);
        Assert.Equal(HttpStatusCode.Created, reward.StatusCode);
        var recognition = await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{family}/recognition", null);
        Assert.Equal(meetingId, Assert.Single(recognition.GetProperty("meetings").EnumerateArray()).GetProperty("id").GetGuid());
        var awarded = Assert.Single(recognition.GetProperty("honours").EnumerateArray());
        Assert.Equal(("FilialPiety", meetingId), (awarded.GetProperty("kind").GetString(), awarded.GetProperty("meetingId").GetGuid()));
        Assert.Equal(2, recognition.GetProperty("materialRewards").GetArrayLength());
        Assert.Equal(700.50m, recognition.GetProperty("rewardedAmount").GetDecimal());
        var read = await Api.Send(HttpMethod.Get, $"/api/exemplary-deed-meetings/{meetingId}", null);
        Assert.Equal((200, "mucheng"), (read.GetProperty("attendance").GetInt32(), read.GetProperty("township").GetString()));
    }

    [Fact]
    public async Task Meetings_honours_and_rewards_are_listed()
    {
        var family = await Api.RegisteredFamily();
        await Post("/api/exemplary-deed-meetings", Requests.Meeting("mucheng"));
        await Post("/api/exemplary-deed-meetings", Requests.Meeting("sanyang"));
        await Post($"/api/caregiver-families/{family}/honours", Honour("GoodNeighbour"));
        await Post($"/api/caregiver-families/{family}/material-rewards", Reward());

        var meetings = await Api.Send(HttpMethod.Get, "/api/exemplary-deed-meetings?township=三阳乡", null);
        var neighbours = await Api.Send(HttpMethod.Get, "/api/honours?kind=GoodNeighbour", null);
        var filial = await Api.Send(HttpMethod.Get, "/api/honours?kind=FilialPiety", null);
        var rewards = await Api.Send(HttpMethod.Get, "/api/material-rewards?township=mucheng", null);

        Assert.Equal("sanyang", Assert.Single(meetings.GetProperty("items").EnumerateArray()).GetProperty("township").GetString());
        Assert.Single(neighbours.GetProperty("items").EnumerateArray());
        Assert.Empty(filial.GetProperty("items").EnumerateArray());
        Assert.Equal(500m, Assert.Single(rewards.GetProperty("items").EnumerateArray()).GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Invalid_meetings_honours_and_rewards_are_400s()
    {
        var family = await Api.RegisteredFamily();
        var meeting = Requests.Meeting("nowhere", family, family);
        meeting["attendance"] = 0;
        meeting["heldOn"] = "2020-10-02";

        var badMeeting = await Post("/api/exemplary-deed-meetings", meeting);
        var badHonour = await Post($"/api/caregiver-families/{family}/honours", new JsonObject { ["title"] = "" });
        var badReward = await Post($"/api/caregiver-families/{family}/material-rewards", Reward(0.001m));
        var badFilter = await Send(HttpMethod.Get, "/api/honours?kind=Bravery");

        Assert.Equal(["attendance", "familiesHonoured", "heldOn", "township"],
            (await Json(badMeeting)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["awardedOn", "kind", "title"],
            (await Json(badHonour)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.BadRequest, badReward.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
    }

    [Fact]
    public async Task Unknown_families_and_meetings_are_404s()
    {
        var family = await Api.RegisteredFamily();
        var nobody = Guid.CreateVersion7();

        var meeting = await Post("/api/exemplary-deed-meetings", Requests.Meeting("mucheng", family, nobody));
        var honour = await Post($"/api/caregiver-families/{nobody}/honours", Honour());
        var reward = await Post($"/api/caregiver-families/{nobody}/material-rewards", Reward());
        var noMeeting = await Post($"/api/caregiver-families/{family}/honours", Honour(meetingId: Guid.CreateVersion7()));
        var readMeeting = await Send(HttpMethod.Get, $"/api/exemplary-deed-meetings/{nobody}");
        var readFamily = await Send(HttpMethod.Get, $"/api/caregiver-families/{nobody}/recognition");

        Assert.Equal(HttpStatusCode.NotFound, meeting.StatusCode);
        Assert.Contains(nobody.ToString(), (await Json(meeting)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, honour.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reward.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMeeting.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, readMeeting.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, readFamily.StatusCode);
    }

    [Fact]
    public async Task Recognition_is_for_its_owners_and_a_township_records_only_its_own()
    {
        var family = await Api.RegisteredFamily(Requests.CaregiverFamily("sanyang"));

        var hrss = await Post($"/api/caregiver-families/{family}/honours", Honour(), Keys.Hrss);
        var charity = await Post($"/api/caregiver-families/{family}/material-rewards", Reward(), SupervisionKeys.Charity);
        var foreignMeeting = await Post("/api/exemplary-deed-meetings", Requests.Meeting("sanyang"), Keys.Mucheng);
        var foreignHonour = await Post($"/api/caregiver-families/{family}/honours", Honour(), Keys.Mucheng);
        var ownHonour = await Post($"/api/caregiver-families/{family}/honours", Honour(), Keys.Sanyang);

        Assert.Equal(HttpStatusCode.Forbidden, hrss.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, charity.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignMeeting.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignHonour.StatusCode);
        Assert.Equal(HttpStatusCode.Created, ownHonour.StatusCode);
    }
}
