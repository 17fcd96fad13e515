using System.Net;
using Marten;
using Relief.Api.ExtendedPolicies.Training;

namespace Relief.Api.Tests.ExtendedPolicies.Training;

public sealed class JobPlacementTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<HttpResponseMessage> Place(System.Text.Json.Nodes.JsonObject body, string key = Keys.Hrss) =>
        Send(HttpMethod.Post, "/api/job-placements", body.ToJsonString(), key);

    [Fact]
    public async Task A_placement_is_recorded_with_its_channel_and_read_back()
    {
        var trainee = await Api.FamilyHead();

        var response = await Place(Requests.Placement(trainee.FamilyId, trainee.MemberId, "EnterpriseMatching"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await Json(response)).GetProperty("id").GetGuid();
        var placement = await Api.Send(HttpMethod.Get, $"/api/job-placements/{id}", null);
        Assert.Equal(("EnterpriseMatching", "武陟县宏达电气有限公司", "2020-09-28", "李四", "mucheng"),
            (placement.GetProperty("channel").GetString(), placement.GetProperty("employer").GetString(),
                placement.GetProperty("placedOn").GetString(), placement.GetProperty("memberName").GetString(),
                placement.GetProperty("township").GetString()));
        var family = await Api.Send(HttpMethod.Get,
            $"/api/caregiver-families/{trainee.FamilyId}/training-and-employment?memberId={trainee.MemberId}", null);
        Assert.Equal(id, Assert.Single(family.GetProperty("placements").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Placements_are_listed_and_counted_by_channel()
    {
        var trainee = await Api.FamilyHead();
        await Place(Requests.Placement(trainee.FamilyId, trainee.MemberId, "EnterpriseMatching"));
        await Place(Requests.Placement(trainee.FamilyId, trainee.MemberId, "Recommendation"));
        await Place(Requests.Placement(trainee.FamilyId, trainee.MemberId, "Recommendation"));

        var recommended = await Api.Send(HttpMethod.Get, "/api/job-placements?channel=Recommendation&township=mucheng", null);
        var elsewhere = await Api.Send(HttpMethod.Get, "/api/job-placements?township=sanyang", null);

        Assert.Equal(2, recommended.GetProperty("items").GetArrayLength());
        Assert.Equal(0, elsewhere.GetProperty("items").GetArrayLength());
        await using var session = Store.QuerySession();
        var byChannel = (await session.Query<JobPlacementDetails>().ToListAsync()).GroupBy(p => p.Channel).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, byChannel[PlacementChannel.Recommendation]);
    }

    [Fact]
    public async Task A_placement_needs_a_channel_an_employer_and_a_past_date()
    {
        var trainee = await Api.FamilyHead();
        var body = Requests.Placement(trainee.FamilyId, trainee.MemberId, placedOn: "2020-10-02");
        body.Remove("channel");
        body["employer"] = "";

        var response = await Place(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["channel", "employer", "placedOn"],
            (await Json(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task An_unknown_family_or_member_is_a_404()
    {
        var trainee = await Api.FamilyHead();

        var noFamily = await Place(Requests.Placement(Guid.CreateVersion7(), trainee.MemberId));
        var noMember = await Place(Requests.Placement(trainee.FamilyId, Guid.CreateVersion7()));
        var noPlacement = await Send(HttpMethod.Get, $"/api/job-placements/{Guid.CreateVersion7()}");
        var noFamilyRead = await Send(HttpMethod.Get, $"/api/caregiver-families/{Guid.CreateVersion7()}/training-and-employment");

        Assert.Equal(HttpStatusCode.NotFound, noFamily.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMember.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noPlacement.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noFamilyRead.StatusCode);
    }

    [Fact]
    public async Task Only_owners_of_training_and_employment_place_people_and_township_keys_read_their_own()
    {
        var trainee = await Api.FamilyHead("sanyang");

        var health = await Place(Requests.Placement(trainee.FamilyId, trainee.MemberId), SupervisionKeys.Health);
        var foreignList = await Send(HttpMethod.Get, "/api/job-placements?township=sanyang", key: Keys.Mucheng);
        var foreignFamily = await Send(HttpMethod.Get, $"/api/caregiver-families/{trainee.FamilyId}/training-and-employment", key: Keys.Mucheng);
        var badChannel = await Send(HttpMethod.Get, "/api/job-placements?channel=Luck");

        Assert.Equal(HttpStatusCode.Forbidden, health.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignList.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignFamily.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badChannel.StatusCode);
    }
}
