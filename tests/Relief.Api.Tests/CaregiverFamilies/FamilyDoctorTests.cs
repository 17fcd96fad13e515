using System.Net;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.CaregiverFamilies;

public sealed class FamilyDoctorTests(AppFixture fixture) : ApiTest(fixture)
{
    private static string Url(Guid familyId, Guid memberId) => $"/api/caregiver-families/{familyId}/members/{memberId}/family-doctor";

    private async Task<(Guid FamilyId, Guid HeadId, Guid SpouseId)> FamilyOfTwo()
    {
        var id = await Api.RegisteredFamily(Requests.CaregiverFamily("mucheng", null,
            Requests.FamilyMember("王芳", Relation.Spouse, new DateOnly(1966, 2, 2), sequence: 22)));
        return (id, await Api.FamilyMemberId(id, "李四"), await Api.FamilyMemberId(id, "王芳"));
    }

    [Fact]
    public async Task The_health_commission_signs_each_member_and_the_family_is_covered_when_all_are()
    {
        var (id, head, spouse) = await FamilyOfTwo();

        var first = await Api.Send(HttpMethod.Post, Url(id, head), Requests.FamilyDoctor(3, endsOn: "2021-09-19"), FamilyKeys.Health);
        Assert.Equal(4, first.GetProperty("version").GetInt32());
        var family = await Api.Family(id);
        Assert.Equal(1, family.GetProperty("membersWithFamilyDoctor").GetInt32());
        Assert.False(family.GetProperty("familyDoctorCovered").GetBoolean());
        var doctor = family.GetProperty("members")[0].GetProperty("familyDoctor");
        Assert.Equal(first.GetProperty("agreementId").GetGuid(), doctor.GetProperty("agreementId").GetGuid());
        Assert.Equal("2020-09-20", doctor.GetProperty("signedOn").GetString());
        Assert.Equal("木城街道卫生院家庭医生团队一组", doctor.GetProperty("doctorOrTeam").GetString());
        Assert.Equal("木城街道家庭医生签约仪式", doctor.GetProperty("ceremony").GetString());
        Assert.Equal("2021-09-19", doctor.GetProperty("endsOn").GetString());
        Assert.True(doctor.GetProperty("inForce").GetBoolean());

        await Api.Send(HttpMethod.Post, Url(id, spouse), Requests.FamilyDoctor(4), FamilyKeys.Health);
        family = await Api.Family(id);
        Assert.Equal(2, family.GetProperty("membersWithFamilyDoctor").GetInt32());
        Assert.True(family.GetProperty("familyDoctorCovered").GetBoolean());
    }

    [Fact]
    public async Task A_second_agreement_while_one_runs_is_a_409_until_the_first_is_ended()
    {
        var (id, head, _) = await FamilyOfTwo();
        await Api.Send(HttpMethod.Post, Url(id, head), Requests.FamilyDoctor(3), FamilyKeys.Health);

        var second = await Send(HttpMethod.Post, Url(id, head), Requests.FamilyDoctor(4, "2020-09-25").ToJsonString(), FamilyKeys.Health);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("urn:relief:problem:conflict", (await Json(second)).GetProperty("type").GetString());

        var ended = await Api.Send(HttpMethod.Post, $"{Url(id, head)}/ending",
            JsonNode.Parse("""{ "version": 4, "endedOn": "2020-09-24", "reason": "更换签约团队" }"""), FamilyKeys.Health);
        Assert.Equal(5, ended.GetProperty("version").GetInt32());
        var doctor = (await Api.Family(id)).GetProperty("members")[0].GetProperty("familyDoctor");
        Assert.Equal("2020-09-24", doctor.GetProperty("endedOn").GetString());
        Assert.False(doctor.GetProperty("inForce").GetBoolean());

        Assert.Equal(HttpStatusCode.OK,
            (await Send(HttpMethod.Post, Url(id, head), Requests.FamilyDoctor(5, "2020-09-25").ToJsonString(), FamilyKeys.Health)).StatusCode);
        Assert.Equal(1, (await Api.Family(id)).GetProperty("membersWithFamilyDoctor").GetInt32());
    }

    [Fact]
    public async Task Ending_when_no_agreement_runs_is_a_409()
    {
        var (id, head, _) = await FamilyOfTwo();

        var response = await Send(HttpMethod.Post, $"{Url(id, head)}/ending",
            """{ "version": 3, "endedOn": "2020-09-24", "reason": "x" }""", FamilyKeys.Health);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Human_resources_may_not_sign_family_doctor_agreements_and_townships_lack_the_scope()
    {
        var (id, head, _) = await FamilyOfTwo();
        var body = Requests.FamilyDoctor(3).ToJsonString();

        var hrss = await Send(HttpMethod.Post, Url(id, head), body, Keys.Hrss);
        var township = await Send(HttpMethod.Post, Url(id, head), body, Keys.Mucheng);

        Assert.Equal(HttpStatusCode.Forbidden, hrss.StatusCode);
        Assert.Contains("family-doctor", (await Json(hrss)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, township.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, Url(id, head), body, FamilyKeys.Health)).StatusCode);
    }

    [Fact]
    public async Task Invalid_agreements_are_400_and_unknown_members_or_families_404()
    {
        var (id, head, _) = await FamilyOfTwo();

        var invalid = await Send(HttpMethod.Post, Url(id, head),
            """{ "version": 3, "signedOn": "2020-10-02", "endsOn": "2020-10-01" }""", FamilyKeys.Health);
        var noMember = await Send(HttpMethod.Post, Url(id, Guid.CreateVersion7()), Requests.FamilyDoctor(3).ToJsonString(), FamilyKeys.Health);
        var noFamily = await Send(HttpMethod.Post, Url(Guid.CreateVersion7(), head), Requests.FamilyDoctor(3).ToJsonString(), FamilyKeys.Health);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await Json(invalid)).GetProperty("errors");
        Assert.Equal(["doctorOrTeam", "endsOn", "signedOn"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, noMember.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noFamily.StatusCode);
    }

    [Fact]
    public async Task A_removed_member_no_longer_counts_so_the_rest_of_the_family_may_be_covered()
    {
        var (id, head, spouse) = await FamilyOfTwo();
        await Api.Send(HttpMethod.Post, Url(id, head), Requests.FamilyDoctor(3), FamilyKeys.Health);
        Assert.False((await Api.Family(id)).GetProperty("familyDoctorCovered").GetBoolean());

        await Api.Send(HttpMethod.Post, $"/api/caregiver-families/{id}/members/{spouse}/removal",
            JsonNode.Parse("""{ "version": 4, "reason": "去世" }"""));

        var family = await Api.Family(id);
        Assert.Equal((1, 1), (family.GetProperty("memberCount").GetInt32(), family.GetProperty("membersWithFamilyDoctor").GetInt32()));
        Assert.True(family.GetProperty("familyDoctorCovered").GetBoolean());
    }
}
