using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Relief.Api.CareCentres;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Protection;

namespace Relief.Api.Tests.Households;

/// <summary>
/// The reasons of exceptions (to the eligibility chain, about a caregiver family; to the admission rule,
/// about a household's member and often their health) are sealed under the family's or household's key
/// in the events and in every view that copies them; the routes open them, <c>[erased]</c> once the
/// family or household was erased; reasons recorded in clear before they were sealed still show.
/// </summary>
public sealed class SealedExceptionReasonsTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string FamilyReason = "托养人临时外出务工-糖尿病-EX";
    private const string AdmissionReason = "独居无人照料-阿尔茨海默-EX";

    private static JsonObject WithException(JsonObject body, string reason)
    {
        body["exception"] = new JsonObject { ["reason"] = reason };
        return body;
    }

    private async Task<int> Version(string route) => (await Api.Send(HttpMethod.Get, route, null)).GetProperty("version").GetInt32();

    /// <summary>A family outside the chain given a case, an enrolment and a placement by exception; answers their ids.</summary>
    private async Task<(Guid Family, Guid Case, Guid TrainingClass, Guid Placement)> FamilyByException()
    {
        var family = await Api.RegisteredFamily();
        var member = await Api.FamilyMemberId(family, "李四");
        var caseId = await Api.OpenedCase(WithException(Requests.PolicyCase("FinancialLoan", family), FamilyReason + "-case"));
        var trainingClass = await Api.ScheduledClass();
        await Api.Send(HttpMethod.Post, $"/api/training-classes/{trainingClass}/enrolments",
            WithException(Requests.Enrolment(family, member), FamilyReason + "-enrolment"), Keys.PovertyOffice);
        var placement = (await Api.Send(HttpMethod.Post, "/api/job-placements",
            WithException(Requests.Placement(family, member), FamilyReason + "-placement"), Keys.PovertyOffice, 201)).GetProperty("id").GetGuid();
        return (family, caseId, trainingClass, placement);
    }

    /// <summary>The reasons the case, the class and the placement show, in that order.</summary>
    private async Task<string?[]> FamilyReasons(Guid caseId, Guid trainingClass, Guid placement) =>
    [
        (await Api.PolicyCase(caseId)).GetProperty("exception").GetProperty("reason").GetString(),
        (await Api.TrainingClass(trainingClass)).GetProperty("enrolments")[0].GetProperty("exception").GetProperty("reason").GetString(),
        (await Api.Send(HttpMethod.Get, $"/api/job-placements/{placement}", null)).GetProperty("exception").GetProperty("reason").GetString(),
        (await Api.Send(HttpMethod.Get, "/api/job-placements", null)).GetProperty("items")[0].GetProperty("exception").GetProperty("reason").GetString(),
    ];

    private async Task<Person> AdmittedByException()
    {
        var centre = await Api.CentreWithBeds(5);
        var partly = await Api.EligiblePerson(sequence: 61, grade: null, dependency: "Partial");
        await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/admissions",
            WithException(Requests.Admission(partly.HouseholdId, partly.MemberId), AdmissionReason), Keys.PovertyOffice);
        return partly;
    }

    [Fact]
    public async Task Exception_reasons_are_in_no_event_or_document_in_clear_and_the_views_open_them()
    {
        var (_, caseId, trainingClass, placement) = await FamilyByException();
        var person = await AdmittedByException();
        await Api.ProjectionsCaughtUp();

        Assert.Empty(await Database.InClear(FamilyReason, AdmissionReason));
        Assert.Equal(new string?[] { FamilyReason + "-case", FamilyReason + "-enrolment", FamilyReason + "-placement", FamilyReason + "-placement" },
            await FamilyReasons(caseId, trainingClass, placement));
        var stay = (await Api.Household(person.HouseholdId)).GetProperty("stays")[0];
        Assert.Equal(AdmissionReason, stay.GetProperty("exception").GetProperty("reason").GetString());
        var history = await (await Send(HttpMethod.Get, $"/api/households/{person.HouseholdId}/history", key: Keys.Auditor)).Content.ReadAsStringAsync();
        Assert.Contains(AdmissionReason, history);
    }

    [Fact]
    public async Task After_the_family_or_household_is_erased_its_exception_reasons_show_as_erased_and_are_in_no_dump()
    {
        var (family, caseId, trainingClass, placement) = await FamilyByException();
        var person = await AdmittedByException();

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, $"/api/caregiver-families/{family}/personal-data/erasure",
            $$"""{ "version": {{await Version($"/api/caregiver-families/{family}")}}, "reason": "PIPL erasure request 2020-61" }""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, $"/api/households/{person.HouseholdId}/personal-data/erasure",
            $$"""{ "version": {{await Version($"/api/households/{person.HouseholdId}")}}, "reason": "PIPL erasure request 2020-62" }""")).StatusCode);
        await Api.ProjectionsCaughtUp();

        Assert.All(await FamilyReasons(caseId, trainingClass, placement), r => Assert.Equal(PersonalDataMask.Erased, r));
        var stay = (await Api.Household(person.HouseholdId)).GetProperty("stays")[0];
        Assert.Equal(PersonalDataMask.Erased, stay.GetProperty("exception").GetProperty("reason").GetString());
        var dump = await Database.Dump();
        Assert.DoesNotContain(FamilyReason, dump);
        Assert.DoesNotContain(AdmissionReason, dump);
    }

    [Fact]
    public async Task Exception_reasons_recorded_in_clear_before_they_were_sealed_still_show()
    {
        var family = await Api.RegisteredFamily();
        var person = await Api.EligiblePerson(sequence: 63, grade: null, dependency: "Partial");
        var centre = await Api.CentreWithBeds(5);
        var caseId = Guid.CreateVersion7();
        var stayId = Guid.CreateVersion7();
        var day = new DateOnly(2020, 9, 20);
        await using (var session = Store.LightweightSession())
        {
            // Events as an earlier version wrote them: the exceptions' reasons as plain strings.
            session.Events.StartStream<PolicyCase>(caseId,
                new PolicyCaseOpened(caseId, ExtendedPolicy.FinancialLoan, family, null, "mucheng", CaseStage.Applied, day,
                    Department.PovertyAlleviationOffice, null, null),
                new EligibilityExceptionGranted(caseId, EligibilitySubject.PolicyCase, family, "mucheng", day,
                    Department.PovertyAlleviationOffice, ProtectedValue.LegacyPlaintext("旧的破例理由")));
            session.Events.Append(centre,
                new ResidentAdmitted(centre, stayId, person.HouseholdId, person.MemberId, day, null),
                new AdmissionExceptionGranted(centre, stayId, person.HouseholdId, person.MemberId, StayKind.Admission, day,
                    Department.PovertyAlleviationOffice, ProtectedValue.LegacyPlaintext("旧的入住破例理由")));
            await session.SaveChangesAsync();
        }

        await Api.ProjectionsCaughtUp();
        foreach (var type in new[] { "eligibility_exception_granted", "admission_exception_granted" })
            Assert.Equal("string", await Api.Sql($"select jsonb_typeof(data -> 'reason') from relief.mt_events where type = '{type}'"));
        Assert.Equal("旧的破例理由", (await Api.PolicyCase(caseId)).GetProperty("exception").GetProperty("reason").GetString());
        var stay = (await Api.Household(person.HouseholdId)).GetProperty("stays")[0];
        Assert.Equal("旧的入住破例理由", stay.GetProperty("exception").GetProperty("reason").GetString());
    }
}
