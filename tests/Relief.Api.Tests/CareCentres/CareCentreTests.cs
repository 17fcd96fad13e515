using System.Net;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.CareCentres;

public sealed class CareCentreTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_registered_centre_is_read_with_its_free_beds()
    {
        var response = await Send(HttpMethod.Post, "/api/care-centres", Requests.CareCentre(beds: 12).ToJsonString(), CentreKeys.CivilAffairs);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await Json(response)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/care-centres/{id}", response.Headers.Location?.OriginalString);

        var centre = await Api.Centre(id);

        Assert.Equal("木城医养中心", centre.GetProperty("name").GetString());
        Assert.Equal("mucheng", centre.GetProperty("township").GetString());
        Assert.Equal("NursingHome", centre.GetProperty("basedOn").GetString());
        Assert.Equal(12, centre.GetProperty("beds").GetInt32());
        Assert.Equal(0, centre.GetProperty("occupied").GetInt32());
        Assert.Equal(12, centre.GetProperty("free").GetInt32());
    }

    [Fact]
    public async Task Centres_are_listed_by_name_with_their_occupancy()
    {
        var sanyang = await Api.CentreWithBeds(5, "三阳医养中心", "sanyang");
        await Api.CentreWithBeds(8, "北郭医养中心", "beiguo");
        await Api.Admitted(sanyang, await Api.EligiblePerson());

        var list = await Api.Send(HttpMethod.Get, "/api/care-centres", null, Keys.Auditor);

        Assert.Equal(["三阳医养中心", "北郭医养中心"], list.EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var first = list.EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == sanyang);
        Assert.Equal(1, first.GetProperty("occupied").GetInt32());
        Assert.Equal(4, first.GetProperty("free").GetInt32());
    }

    [Fact]
    public async Task Missing_or_invalid_fields_are_each_named()
    {
        var body = new JsonObject { ["name"] = " ", ["township"] = "atlantis", ["beds"] = 0, ["openedOn"] = "2021-01-01" };

        var problem = await Api.Send(HttpMethod.Post, "/api/care-centres", body, CentreKeys.CivilAffairs, 400);

        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["basedOn", "beds", "name", "openedOn", "township"], errors);
    }

    [Fact]
    public async Task A_second_centre_with_the_same_name_is_a_409()
    {
        await Api.CentreWithBeds(10);

        var problem = await Api.Send(HttpMethod.Post, "/api/care-centres", Requests.CareCentre(), CentreKeys.CivilAffairs, 409);

        Assert.Equal("urn:relief:problem:conflict", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Only_owning_departments_with_the_centres_scope_may_register()
    {
        var noScope = await Send(HttpMethod.Post, "/api/care-centres", Requests.CareCentre().ToJsonString(), Keys.Hrss);
        var token = Tokens.Issue("bank-centre", "Bank", "centres:write households:read", organisation: "bank-a");
        var notOwner = await Send(HttpMethod.Post, "/api/care-centres", Requests.CareCentre().ToJsonString(), key: null,
            headers: new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });

        Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notOwner.StatusCode);
        Assert.Contains("care-centres", (await Json(notOwner)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_centre_is_a_404_for_reads_and_writes_even_when_the_id_is_another_stream()
    {
        var household = await Api.RegisteredHousehold();
        var person = await Api.EligiblePerson(sequence: 2);

        var read = await Send(HttpMethod.Get, $"/api/care-centres/{Guid.CreateVersion7()}");
        var write = await Send(HttpMethod.Post, $"/api/care-centres/{Guid.CreateVersion7()}/admissions",
            Requests.Admission(person.HouseholdId, person.MemberId).ToJsonString(), CentreKeys.CivilAffairs);
        var householdAsCentre = await Send(HttpMethod.Post, $"/api/care-centres/{household}/beds",
            """{ "version": 1, "beds": 3, "reason": "x" }""", CentreKeys.CivilAffairs);

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, householdAsCentre.StatusCode);
        Assert.Equal("urn:relief:problem:not-found", (await Json(write)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Beds_change_at_the_next_version_but_never_below_the_occupied_beds()
    {
        var id = await Api.CentreWithBeds(3);
        await Api.Admitted(id, await Api.EligiblePerson(sequence: 1));
        await Api.Admitted(id, await Api.EligiblePerson(sequence: 2));
        var version = (await Api.Centre(id)).GetProperty("version").GetInt32();

        var tooFew = await Send(HttpMethod.Post, $"/api/care-centres/{id}/beds",
            $$"""{ "version": {{version}}, "beds": 1, "reason": "ward closed" }""", CentreKeys.CivilAffairs);
        var stale = await Send(HttpMethod.Post, $"/api/care-centres/{id}/beds",
            """{ "version": 1, "beds": 20, "reason": "new wing" }""", CentreKeys.CivilAffairs);
        var noVersion = await Send(HttpMethod.Post, $"/api/care-centres/{id}/beds",
            """{ "beds": 20, "reason": "new wing" }""", CentreKeys.CivilAffairs);
        var changed = await Send(HttpMethod.Post, $"/api/care-centres/{id}/beds",
            $$"""{ "version": {{version}}, "beds": 20, "reason": "new wing" }""", CentreKeys.CivilAffairs);

        Assert.Equal(HttpStatusCode.Conflict, tooFew.StatusCode);
        Assert.Contains("2 occupied beds", (await Json(tooFew)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(version + 1, (await Json(changed)).GetProperty("version").GetInt32());
        var centre = await Api.Centre(id);
        Assert.Equal(20, centre.GetProperty("beds").GetInt32());
        Assert.Equal(18, centre.GetProperty("free").GetInt32());
    }

    [Fact]
    public async Task Every_write_route_needs_the_centres_scope_and_every_read_a_caller()
    {
        var centreId = await Api.CentreWithBeds(3);
        var stayId = await Api.Admitted(centreId, await Api.EligiblePerson());
        string[] writes =
        [
            "/api/care-centres", $"/api/care-centres/{centreId}/beds", $"/api/care-centres/{centreId}/admissions",
            $"/api/care-centres/{centreId}/trial-stays", $"/api/care-centres/{centreId}/trial-stays/{stayId}/conversion",
            $"/api/care-centres/{centreId}/trial-stays/{stayId}/end", $"/api/care-centres/{centreId}/residents/{stayId}/discharge",
            $"/api/care-centres/{centreId}/residents/{stayId}/transfer", $"/api/care-centres/{centreId}/stays/{stayId}/services",
            "/api/funding-rules",
        ];
        string[] reads =
        [
            "/api/care-centres", $"/api/care-centres/{centreId}", "/api/funding-rules",
            $"/api/care-centres/{centreId}/residents/{stayId}/cost?month=2020-10",
        ];

        foreach (var url in writes)
        {
            var response = await Send(HttpMethod.Post, url, "{}", Keys.Hrss);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{url}: {response.StatusCode}");
        }

        foreach (var url in reads)
        {
            var response = await Send(HttpMethod.Get, url, key: null);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{url}: {response.StatusCode}");
        }
    }
}
