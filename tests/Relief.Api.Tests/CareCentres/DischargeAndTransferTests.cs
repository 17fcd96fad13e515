using Relief.Api.Infrastructure.PersonalData;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Marten;
using Relief.Api.CareCentres;

namespace Relief.Api.Tests.CareCentres;

public sealed class DischargeAndTransferTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<HttpResponseMessage> Post(string url, string body) => Send(HttpMethod.Post, url, body, CentreKeys.CivilAffairs);

    [Fact]
    public async Task A_discharged_resident_frees_the_bed_and_the_stay_keeps_the_reason()
    {
        var centreId = await Api.CentreWithBeds(2);
        var stayId = await Api.Admitted(centreId, await Api.EligiblePerson());

        var discharged = await Post($"/api/care-centres/{centreId}/residents/{stayId}/discharge",
            """{ "dischargedOn": "2020-09-28", "reason": "returned home" }""");
        var again = await Post($"/api/care-centres/{centreId}/residents/{stayId}/discharge",
            """{ "dischargedOn": "2020-09-29", "reason": "returned home" }""");

        Assert.Equal(HttpStatusCode.OK, discharged.StatusCode);
        var centre = await Api.Centre(centreId);
        Assert.Equal(2, centre.GetProperty("free").GetInt32());
        Assert.Empty(centre.GetProperty("residents").EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await using var session = Store.QuerySession();
        var stay = await session.LoadAsync<CentreStay>(stayId);
        Assert.Equal(StayStatus.Discharged, stay!.Status);
        Assert.Equal(new DateOnly(2020, 9, 28), stay.To);
        var household = await Host.Services.GetRequiredService<PersonalDataKeyRings>().Shared.ForHousehold(session, stay.HouseholdId, default);
        Assert.False(stay.EndReason!.IsLegacyPlaintext); // sealed under the household's key
        Assert.Equal("returned home", household.Reveal(SealedFields.Reason, stay.EndReason));
    }

    [Fact]
    public async Task Discharging_an_unknown_stay_a_trial_or_before_admission_is_refused()
    {
        var centreId = await Api.CentreWithBeds(3);
        var stayId = await Api.Admitted(centreId, await Api.EligiblePerson(sequence: 1), "2020-09-10");
        var trialId = await Api.OnTrial(centreId, await Api.EligiblePerson(sequence: 2));

        var unknown = await Post($"/api/care-centres/{centreId}/residents/{Guid.CreateVersion7()}/discharge", """{ "dischargedOn": "2020-09-28", "reason": "x" }""");
        var trial = await Post($"/api/care-centres/{centreId}/residents/{trialId}/discharge", """{ "dischargedOn": "2020-09-28", "reason": "x" }""");
        var early = await Post($"/api/care-centres/{centreId}/residents/{stayId}/discharge", """{ "dischargedOn": "2020-09-09", "reason": "x" }""");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, trial.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
    }

    [Fact]
    public async Task A_transfer_moves_the_resident_to_a_new_stay_in_the_other_centre_in_one_step()
    {
        var from = await Api.CentreWithBeds(2, "木城医养中心");
        var to = await Api.CentreWithBeds(2, "三阳医养中心", "sanyang");
        var person = await Api.EligiblePerson();
        var stayId = await Api.Admitted(from, person);

        var response = await Post($"/api/care-centres/{from}/residents/{stayId}/transfer", $$"""{ "toCentreId": "{{to}}", "on": "2020-09-30" }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await Json(response);
        var newStayId = answer.GetProperty("stayId").GetGuid();
        Assert.Equal(3, answer.GetProperty("fromVersion").GetInt32());
        Assert.Equal(2, answer.GetProperty("toVersion").GetInt32());
        Assert.Empty((await Api.Centre(from)).GetProperty("residents").EnumerateArray());
        var arrived = Assert.Single((await Api.Centre(to)).GetProperty("residents").EnumerateArray());
        Assert.Equal(newStayId, arrived.GetProperty("stayId").GetGuid());
        Assert.Equal(person.MemberId, arrived.GetProperty("memberId").GetGuid());

        await using var session = Store.QuerySession();
        var old = await session.LoadAsync<CentreStay>(stayId);
        var current = await session.LoadAsync<CentreStay>(newStayId);
        Assert.Equal(StayStatus.TransferredOut, old!.Status);
        Assert.Equal(newStayId, old.TransferredToStayId);
        Assert.Equal(StayStatus.Active, current!.Status);
        Assert.Equal(stayId, current.TransferredFromStayId);
        Assert.Equal(to, current.CentreId);
    }

    [Fact]
    public async Task A_transfer_to_a_full_or_unknown_centre_or_to_the_same_centre_changes_nothing()
    {
        var from = await Api.CentreWithBeds(2, "木城医养中心");
        var full = await Api.CentreWithBeds(1, "三阳医养中心", "sanyang");
        await Api.Admitted(full, await Api.EligiblePerson(sequence: 1));
        var stayId = await Api.Admitted(from, await Api.EligiblePerson(sequence: 2));
        var url = $"/api/care-centres/{from}/residents/{stayId}/transfer";

        var toFull = await Post(url, $$"""{ "toCentreId": "{{full}}", "on": "2020-09-30" }""");
        var toNowhere = await Post(url, $$"""{ "toCentreId": "{{Guid.CreateVersion7()}}", "on": "2020-09-30" }""");
        var toItself = await Post(url, $$"""{ "toCentreId": "{{from}}", "on": "2020-09-30" }""");

        Assert.Equal(HttpStatusCode.Conflict, toFull.StatusCode);
        Assert.Contains("All 1 beds of 三阳医养中心", (await Json(toFull)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, toNowhere.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, toItself.StatusCode);
        Assert.Single((await Api.Centre(from)).GetProperty("residents").EnumerateArray());
        Assert.Equal(2, (await Api.Centre(from)).GetProperty("version").GetInt32());
        Assert.Equal(1, (await Api.Centre(full)).GetProperty("occupied").GetInt32());
    }

    [Fact]
    public async Task Services_delivered_are_counted_by_kind_for_the_centre_and_the_stay()
    {
        var centreId = await Api.CentreWithBeds(3);
        var stayId = await Api.Admitted(centreId, await Api.EligiblePerson(sequence: 1));
        var trialId = await Api.OnTrial(centreId, await Api.EligiblePerson(sequence: 2));

        foreach (var (stay, service) in new[] { (stayId, "Nursing"), (stayId, "Nursing"), (stayId, "MedicalCare"), (trialId, "Recreation") })
        {
            var response = await Post($"/api/care-centres/{centreId}/stays/{stay}/services",
                $$"""{ "service": "{{service}}", "deliveredOn": "2020-09-30", "note": "晨间护理" }""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var counts = (await Api.Centre(centreId)).GetProperty("servicesDelivered");
        Assert.Equal(2, counts.GetProperty("Nursing").GetInt32());
        Assert.Equal(1, counts.GetProperty("MedicalCare").GetInt32());
        Assert.Equal(1, counts.GetProperty("Recreation").GetInt32());
        await using var session = Store.QuerySession();
        Assert.Equal(2, (await session.LoadAsync<CentreStay>(stayId))!.ServicesDelivered[CentreService.Nursing]);
    }

    [Fact]
    public async Task A_service_needs_a_known_kind_and_an_active_stay()
    {
        var centreId = await Api.CentreWithBeds(3);
        var stayId = await Api.Admitted(centreId, await Api.EligiblePerson());
        await Post($"/api/care-centres/{centreId}/residents/{stayId}/discharge", """{ "dischargedOn": "2020-09-28", "reason": "home" }""");

        var unknownKind = await Post($"/api/care-centres/{centreId}/stays/{stayId}/services", """{ "service": "Massage", "deliveredOn": "2020-09-27" }""");
        var afterDischarge = await Post($"/api/care-centres/{centreId}/stays/{stayId}/services", """{ "service": "Nursing", "deliveredOn": "2020-09-27" }""");
        var unknownStay = await Post($"/api/care-centres/{centreId}/stays/{Guid.CreateVersion7()}/services", """{ "service": "Nursing", "deliveredOn": "2020-09-27" }""");

        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, afterDischarge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownStay.StatusCode);
    }
}
