using System.Net;
using Marten;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Core.Protection;

namespace Relief.Api.Tests.ExtendedPolicies.Training;

/// <summary>
/// A training certificate's number identifies its holder: sealed under the trainee's own key in the
/// event and the views, shown in full to a caller with <c>pii:read</c>, masked by the one rule for any
/// other, <c>[erased]</c> once the trainee was erased; a number recorded in clear before still shows.
/// </summary>
public sealed class SealedCertificateTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string Number = "DG-2020-0417";

    private async Task<(Trainee Trainee, Guid Class, Guid Enrolment)> Completed()
    {
        var classId = await Api.ScheduledClass();
        var trainee = await Api.FamilyHead();
        var enrolment = await Api.Enrolled(classId, trainee);
        await Api.Send(HttpMethod.Post, $"/api/training-classes/{classId}/enrolments/{enrolment}/completion",
            new System.Text.Json.Nodes.JsonObject { ["completedOn"] = "2020-09-30", ["certificateNo"] = Number }, Keys.Hrss);
        return (trainee, classId, enrolment);
    }

    private async Task<(string? Class, string? Family)> Shown(Guid classId, Guid familyId, string key) =>
        ((await Api.Send(HttpMethod.Get, $"/api/training-classes/{classId}", null, key)).GetProperty("enrolments")[0]
            .GetProperty("certificateNo").GetString(),
        (await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{familyId}/training-and-employment", null, key))
            .GetProperty("training")[0].GetProperty("certificateNo").GetString());

    [Fact]
    public async Task A_certificate_number_is_sealed_shown_in_full_only_with_pii_read_and_erased_with_its_holder()
    {
        var (trainee, classId, _) = await Completed();

        Assert.Empty(await Database.InClear(Number));
        Assert.Equal((Number, Number), await Shown(classId, trainee.FamilyId, Keys.PovertyOffice));
        var masked = PersonalDataMask.Certificate(Number);
        Assert.Equal("DG-202**0417", masked);
        Assert.Equal((masked, masked), await Shown(classId, trainee.FamilyId, Keys.Auditor));
        var measures = await (await Send(HttpMethod.Get, $"/api/caregiver-families/{trainee.FamilyId}/measures", key: Keys.Auditor))
            .Content.ReadAsStringAsync();
        Assert.DoesNotContain(Number, measures);
        Assert.DoesNotContain(Number, await (await Send(HttpMethod.Get, "/api/ledger?limit=200", key: Keys.Auditor)).Content.ReadAsStringAsync());

        var version = (await Api.Family(trainee.FamilyId)).GetProperty("version").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post,
            $"/api/caregiver-families/{trainee.FamilyId}/members/{trainee.MemberId}/personal-data/erasure",
            $$"""{ "version": {{version}}, "reason": "PIPL erasure request 2020-81" }""")).StatusCode);

        Assert.Equal((PersonalDataMask.Erased, PersonalDataMask.Erased), await Shown(classId, trainee.FamilyId, Keys.PovertyOffice));
        Assert.DoesNotContain(Number, await Database.Dump());
    }

    [Fact]
    public async Task A_certificate_number_recorded_in_clear_before_it_was_sealed_still_shows_and_is_masked()
    {
        var classId = await Api.ScheduledClass();
        var trainee = await Api.FamilyHead();
        var enrolment = await Api.Enrolled(classId, trainee);
        await using (var session = Store.LightweightSession())
        {
            // As an earlier version wrote it: the number as a plain string.
            session.Events.Append(classId, new TrainingCompleted(classId, enrolment, trainee.FamilyId, trainee.MemberId,
                new DateOnly(2020, 9, 30), ProtectedValue.LegacyPlaintext(Number)));
            await session.SaveChangesAsync();
        }

        Assert.Equal("string", await Api.Sql("select jsonb_typeof(data -> 'certificateNo') from relief.mt_events where type = 'training_completed'"));
        Assert.Equal((Number, Number), await Shown(classId, trainee.FamilyId, Keys.PovertyOffice));
        Assert.Equal((PersonalDataMask.Certificate(Number), PersonalDataMask.Certificate(Number)),
            await Shown(classId, trainee.FamilyId, Keys.Auditor));
    }
}
