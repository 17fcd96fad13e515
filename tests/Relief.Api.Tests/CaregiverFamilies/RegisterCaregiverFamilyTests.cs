using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.CaregiverFamilies;

namespace Relief.Api.Tests.CaregiverFamilies;

public sealed class RegisterCaregiverFamilyTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_registered_family_reads_back_with_its_head_members_and_version()
    {
        var body = Requests.CaregiverFamily("木城街道", Requests.FamilyMember(relation: null),
            Requests.FamilyMember("王芳", Relation.Spouse, new DateOnly(1966, 2, 2), sequence: 22, phone: null));

        var response = await Send(HttpMethod.Post, "/api/caregiver-families", body.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json(response);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/caregiver-families/{id}", response.Headers.Location?.ToString());
        Assert.Equal(3, created.GetProperty("version").GetInt32());

        var family = await Api.Family(id, Keys.Hrss);
        Assert.Equal(3, family.GetProperty("version").GetInt32());
        Assert.Equal("mucheng", family.GetProperty("township").GetString());
        Assert.Equal("木城街道", family.GetProperty("townshipName").GetString());
        Assert.Equal("西关村", family.GetProperty("village").GetString());
        Assert.Equal("李四", family.GetProperty("headName").GetString());
        Assert.Equal(AppFixture.Start, family.GetProperty("registeredAt").GetDateTimeOffset());
        Assert.Equal(2, family.GetProperty("memberCount").GetInt32());
        Assert.Equal(0, family.GetProperty("membersWithFamilyDoctor").GetInt32());
        Assert.False(family.GetProperty("familyDoctorCovered").GetBoolean());
        Assert.False(family.TryGetProperty("needs", out _));
        Assert.Empty(family.GetProperty("agreements").EnumerateArray());
        var members = family.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(["Head", "Spouse"], members.Select(m => m.GetProperty("relation").GetString()));
        Assert.Equal(1968, members[0].GetProperty("birthYear").GetInt32());
        Assert.Equal("Female", members[0].GetProperty("gender").GetString());
    }

    [Fact]
    public async Task Identifiers_are_masked_unless_the_caller_holds_pii_read_and_every_full_read_is_recorded()
    {
        var id = await Api.RegisteredFamily();
        var residentId = Requests.ResidentId(new DateOnly(1968, 5, 20), 21);

        var masked = (await Api.Family(id, Keys.Hrss)).GetProperty("members")[0];
        var full = await Api.Family(id);

        Assert.Equal("410823********" + residentId[^4..], masked.GetProperty("residentId").GetString());
        Assert.Equal("139****9000", masked.GetProperty("phone").GetString());
        Assert.Equal("Revealed", full.GetProperty("personalData").GetString());
        Assert.Equal(residentId, full.GetProperty("members")[0].GetProperty("residentId").GetString());
        await using var session = Store.QuerySession();
        var disclosure = Assert.Single(await session.Query<Relief.Api.Audit.Disclosures.PersonalDataDisclosure>().ToListAsync());
        Assert.Equal((Relief.Api.Audit.Disclosures.PersonalDataOwner.CaregiverFamily, id, "dev-poverty-office"),
            (disclosure.Owner, disclosure.OwnerId, disclosure.Caller));
        var events = await session.Events.FetchStreamAsync(id);
        Assert.All(events, e => Assert.DoesNotContain(residentId, System.Text.Json.JsonSerializer.Serialize(e.Data)));
    }

    [Fact]
    public async Task Invalid_input_is_a_400_naming_each_field_and_writes_nothing()
    {
        var body = Requests.CaregiverFamily("nowhere", Requests.FamilyMember(residentId: "410823196805200011"),
            Requests.FamilyMember("王芳", Relation.Head, sequence: 22));
        body.Remove("village");

        var response = await Send(HttpMethod.Post, "/api/caregiver-families", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Contains("not a township", errors.GetProperty("township")[0].GetString());
        Assert.Equal("is required.", errors.GetProperty("village")[0].GetString());
        Assert.True(errors.TryGetProperty("head.residentId", out _));
        Assert.True(errors.TryGetProperty("members[0].relation", out _));
        await using var session = Store.QuerySession();
        Assert.Equal(0, await session.Events.QueryAllRawEvents().CountAsync());
    }

    [Fact]
    public async Task A_missing_head_or_an_unknown_policy_shape_is_a_400()
    {
        var noHead = Requests.CaregiverFamily();
        noHead.Remove("head");
        var badGender = Requests.CaregiverFamily();
        badGender["head"]!["gender"] = "Unknown";

        var first = await Send(HttpMethod.Post, "/api/caregiver-families", noHead.ToJsonString());
        var second = await Send(HttpMethod.Post, "/api/caregiver-families", badGender.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal("is required.", (await Json(first)).GetProperty("errors").GetProperty("head")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task A_township_key_registers_and_reads_only_in_its_own_township()
    {
        var own = await Api.RegisteredFamily(Requests.CaregiverFamily("mucheng"), Keys.Mucheng);
        var other = await Api.RegisteredFamily(Requests.CaregiverFamily("sanyang"));

        var register = await Send(HttpMethod.Post, "/api/caregiver-families", Requests.CaregiverFamily("sanyang").ToJsonString(), Keys.Mucheng);
        var read = await Send(HttpMethod.Get, $"/api/caregiver-families/{other}", key: Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("urn:relief:problem:forbidden", (await Json(read)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/api/caregiver-families/{own}", key: Keys.Mucheng)).StatusCode);
    }

    [Fact]
    public async Task Only_owners_of_caregiver_families_with_care_write_may_register()
    {
        var body = Requests.CaregiverFamily().ToJsonString();

        var civilAffairs = await Send(HttpMethod.Post, "/api/caregiver-families", body, FamilyKeys.CivilAffairs);
        var hrss = await Send(HttpMethod.Post, "/api/caregiver-families", body, Keys.Hrss);

        Assert.Equal(HttpStatusCode.Forbidden, civilAffairs.StatusCode);
        Assert.Contains("caregiver-families", (await Json(civilAffairs)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, hrss.StatusCode);
        Assert.Contains("care:write", (await Json(hrss)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_family_or_the_id_of_a_household_is_a_404_problem()
    {
        var household = await Api.RegisteredHousehold();

        var unknown = await Send(HttpMethod.Get, $"/api/caregiver-families/{Guid.CreateVersion7()}");
        var notAFamily = await Send(HttpMethod.Get, $"/api/caregiver-families/{household}");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("urn:relief:problem:not-found", (await Json(unknown)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, notAFamily.StatusCode);
    }

    [Fact]
    public async Task A_family_started_by_another_module_from_a_name_reads_back_and_can_be_completed()
    {
        var vault = Host.Services.GetRequiredService<Relief.Api.Infrastructure.PersonalData.PersonalDataKeyRings>().Shared;
        var start = CaregiverFamilyStart.For("mucheng", "东关村", "赵六", vault, AppFixture.Start);
        await using (var session = Store.LightweightSession())
        {
            session.Events.StartStream<CaregiverFamily>(start.FamilyId, [.. start.Events]);
            start.StoreKey().Execute(session);
            await session.SaveChangesAsync();
        }

        var family = await Api.Family(start.FamilyId);
        var head = Assert.Single(family.GetProperty("members").EnumerateArray());
        Assert.Equal("Masked", (await Api.Family(start.FamilyId, Keys.Hrss)).GetProperty("personalData").GetString());
        Assert.False(head.TryGetProperty("birthDate", out _));

        var completed = await Send(HttpMethod.Put, $"/api/caregiver-families/{start.FamilyId}/members/{start.HeadMemberId}",
            new JsonObject { ["version"] = 2, ["member"] = Requests.FamilyMember("赵六", sequence: 31) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        head = (await Api.Family(start.FamilyId)).GetProperty("members")[0];
        Assert.Equal("1968-05-20", head.GetProperty("birthDate").GetString());
        Assert.Equal(Requests.ResidentId(new DateOnly(1968, 5, 20), 31), head.GetProperty("residentId").GetString());
    }
}
