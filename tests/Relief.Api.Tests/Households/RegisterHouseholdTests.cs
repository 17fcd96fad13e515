using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;

namespace Relief.Api.Tests.Households;

public sealed class RegisterHouseholdTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_registered_household_reads_back_with_its_members_and_version()
    {
        var response = await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json(response);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/households/{id}", response.Headers.Location?.ToString());
        Assert.Equal(2, created.GetProperty("version").GetInt32());

        var household = await Api.Household(id, Keys.Hrss);
        Assert.Equal("mucheng", household.GetProperty("township").GetString());
        Assert.Equal("木城街道", household.GetProperty("townshipName").GetString());
        Assert.Equal("东关村", household.GetProperty("village").GetString());
        Assert.Equal("Illness", household.GetProperty("povertyCause").GetString());
        Assert.Equal(2, household.GetProperty("version").GetInt32());
        Assert.Equal(AppFixture.Start, household.GetProperty("registeredAt").GetDateTimeOffset());
        var member = Assert.Single(household.GetProperty("members").EnumerateArray());
        Assert.Equal("张三", member.GetProperty("name").GetString());
        Assert.False(member.TryGetProperty("birthDate", out _)); // masked: the date would give the ID away
        Assert.Equal(1950, member.GetProperty("birthYear").GetInt32());
        var revealed = (await Api.Household(id, Keys.PovertyOffice)).GetProperty("members")[0];
        Assert.Equal("1950-03-15", revealed.GetProperty("birthDate").GetString());
        Assert.Equal("Full", member.GetProperty("dependencyLevel").GetString());
    }

    [Fact]
    public async Task The_township_may_be_named_in_Chinese()
    {
        var id = await Api.RegisteredHousehold(Requests.Household("三阳乡"));

        var household = await Api.Household(id);
        Assert.Equal("sanyang", household.GetProperty("township").GetString());
    }

    [Fact]
    public async Task Invalid_input_is_a_400_with_an_error_for_each_field_and_writes_nothing()
    {
        var body = Requests.Household("nowhere", Requests.Member(residentId: "410823195003150011", phone: "12345"));
        body.Remove("village");
        body["members"]!.AsArray().Add(Requests.Member(name: "", relation: Relation.Head, residentId: null, phone: null));

        var response = await Send(HttpMethod.Post, "/api/households", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Contains("not a township", errors.GetProperty("township")[0].GetString());
        Assert.Equal("is required.", errors.GetProperty("village")[0].GetString());
        Assert.Contains("check character", errors.GetProperty("members[0].residentId")[0].GetString());
        Assert.True(errors.TryGetProperty("members[0].phone", out _));
        Assert.Equal("is required.", errors.GetProperty("members[1].name")[0].GetString());
        Assert.Equal("has at most one head.", errors.GetProperty("members")[0].GetString());

        await using var session = Store.QuerySession();
        Assert.Equal(0, await session.Events.QueryAllRawEvents().CountAsync());
    }

    [Fact]
    public async Task A_birth_date_that_contradicts_the_resident_ID_is_refused()
    {
        var member = Requests.Member(birthDate: new DateOnly(1950, 3, 15));
        member["birthDate"] = "1951-03-15";

        var response = await Send(HttpMethod.Post, "/api/households", Requests.Household(members: member).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Contains("does not match", errors.GetProperty("members[0].birthDate")[0].GetString());
    }

    [Fact]
    public async Task An_unknown_household_is_a_404_problem()
    {
        var response = await Send(HttpMethod.Get, $"/api/households/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("urn:relief:problem:not-found", (await Json(response)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_township_key_registers_and_reads_only_its_own_township()
    {
        var own = await Api.RegisteredHousehold(Requests.Household("mucheng"), Keys.Mucheng);
        var other = await Api.RegisteredHousehold(Requests.Household("sanyang"));

        var register = await Send(HttpMethod.Post, "/api/households", Requests.Household("sanyang").ToJsonString(), Keys.Mucheng);
        var read = await Send(HttpMethod.Get, $"/api/households/{other}", key: Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("urn:relief:problem:forbidden", (await Json(read)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/api/households/{own}", key: Keys.Mucheng)).StatusCode);
    }
}
