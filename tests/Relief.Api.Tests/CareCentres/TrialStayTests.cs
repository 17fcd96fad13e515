using Relief.Api.Infrastructure.PersonalData;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Marten;
using Relief.Api.CareCentres;

namespace Relief.Api.Tests.CareCentres;

public sealed class TrialStayTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<HttpResponseMessage> Post(string url, string body) => Send(HttpMethod.Post, url, body, CentreKeys.CivilAffairs);

    [Fact]
    public async Task A_trial_stay_holds_a_bed_and_is_listed_with_its_end()
    {
        var centreId = await Api.CentreWithBeds(1);
        var person = await Api.EligiblePerson(sequence: 1);

        var stayId = await Api.OnTrial(centreId, person, "2020-09-20", "2020-10-19");
        var other = await Api.EligiblePerson(sequence: 2);
        var admission = await Post($"/api/care-centres/{centreId}/admissions", Requests.Admission(other.HouseholdId, other.MemberId).ToJsonString());

        var centre = await Api.Centre(centreId);
        var trial = Assert.Single(centre.GetProperty("trialStays").EnumerateArray());
        Assert.Equal(stayId, trial.GetProperty("stayId").GetGuid());
        Assert.Equal("2020-10-19", trial.GetProperty("until").GetString());
        Assert.Equal(1, centre.GetProperty("occupied").GetInt32());
        Assert.Empty(centre.GetProperty("residents").EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, admission.StatusCode);
    }

    [Fact]
    public async Task A_trial_longer_than_30_days_or_ending_before_it_starts_is_a_400()
    {
        var centreId = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson();

        var tooLong = await Post($"/api/care-centres/{centreId}/trial-stays",
            Requests.TrialStay(person.HouseholdId, person.MemberId, "2020-09-01", "2020-10-01").ToJsonString());
        var backwards = await Post($"/api/care-centres/{centreId}/trial-stays",
            Requests.TrialStay(person.HouseholdId, person.MemberId, "2020-09-10", "2020-09-01").ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("A trial stay lasts at most 30 days.", (await Json(tooLong)).GetProperty("errors").GetProperty("until")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
    }

    [Fact]
    public async Task A_converted_trial_becomes_a_new_admission_in_the_same_bed()
    {
        var centreId = await Api.CentreWithBeds(1);
        var person = await Api.EligiblePerson();
        var trialId = await Api.OnTrial(centreId, person);

        var response = await Post($"/api/care-centres/{centreId}/trial-stays/{trialId}/conversion", """{ "admittedOn": "2020-09-30" }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var admissionId = (await Json(response)).GetProperty("stayId").GetGuid();
        Assert.NotEqual(trialId, admissionId);
        Assert.Equal(4, (await Json(response)).GetProperty("version").GetInt32());
        var centre = await Api.Centre(centreId);
        Assert.Empty(centre.GetProperty("trialStays").EnumerateArray());
        Assert.Equal(admissionId, Assert.Single(centre.GetProperty("residents").EnumerateArray()).GetProperty("stayId").GetGuid());
        Assert.Equal(0, centre.GetProperty("free").GetInt32());

        await using var session = Store.QuerySession();
        var trial = await session.LoadAsync<CentreStay>(trialId);
        var admission = await session.LoadAsync<CentreStay>(admissionId);
        Assert.Equal(StayStatus.Converted, trial!.Status);
        Assert.Equal(admissionId, trial.ConvertedToStayId);
        Assert.Equal(new DateOnly(2020, 9, 30), trial.To);
        Assert.Equal(StayKind.Admission, admission!.Kind);
        Assert.Equal(StayStatus.Active, admission.Status);
        Assert.Equal(DisabilityType.Physical, admission.DisabilityType);
    }

    [Fact]
    public async Task An_ended_trial_frees_its_bed_and_cannot_be_converted_or_ended_again()
    {
        var centreId = await Api.CentreWithBeds(1);
        var trialId = await Api.OnTrial(centreId, await Api.EligiblePerson());

        var ended = await Post($"/api/care-centres/{centreId}/trial-stays/{trialId}/end", """{ "endedOn": "2020-09-25", "reason": "家属接回" }""");
        var convert = await Post($"/api/care-centres/{centreId}/trial-stays/{trialId}/conversion", """{ "admittedOn": "2020-09-30" }""");
        var endAgain = await Post($"/api/care-centres/{centreId}/trial-stays/{trialId}/end", """{ "endedOn": "2020-09-26", "reason": "again" }""");

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(1, (await Api.Centre(centreId)).GetProperty("free").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, convert.StatusCode);
        Assert.Contains("Ended since 2020-09-25", (await Json(convert)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, endAgain.StatusCode);
        await using var session = Store.QuerySession();
        var stay = await session.LoadAsync<CentreStay>(trialId);
        Assert.Equal(StayStatus.Ended, stay!.Status);
        var household = await Host.Services.GetRequiredService<PersonalDataKeyRings>().Shared.ForHousehold(session, stay.HouseholdId, default);
        Assert.False(stay.EndReason!.IsLegacyPlaintext); // sealed under the household's key
        Assert.Equal("家属接回", household.Reveal(SealedFields.Reason, stay.EndReason));
    }

    [Fact]
    public async Task Unknown_stays_are_404_and_an_admission_is_not_a_trial()
    {
        var centreId = await Api.CentreWithBeds(3);
        var admissionId = await Api.Admitted(centreId, await Api.EligiblePerson());

        var unknown = await Post($"/api/care-centres/{centreId}/trial-stays/{Guid.CreateVersion7()}/conversion", """{ "admittedOn": "2020-09-30" }""");
        var notATrial = await Post($"/api/care-centres/{centreId}/trial-stays/{admissionId}/end", """{ "endedOn": "2020-09-30", "reason": "x" }""");
        var missing = await Post($"/api/care-centres/{centreId}/trial-stays/{admissionId}/end", "{}");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notATrial.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await Json(missing)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["endedOn", "reason"], errors);
    }

    [Fact]
    public async Task A_conversion_dated_before_the_trial_began_is_a_409()
    {
        var centreId = await Api.CentreWithBeds(3);
        var trialId = await Api.OnTrial(centreId, await Api.EligiblePerson(), "2020-09-20", "2020-10-10");

        var response = await Post($"/api/care-centres/{centreId}/trial-stays/{trialId}/conversion", """{ "admittedOn": "2020-09-19" }""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}
