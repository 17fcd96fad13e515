using System.Net;
using Marten;
using Relief.Api.CareCentres;

namespace Relief.Api.Tests.CareCentres;

public sealed class AdmissionTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<HttpResponseMessage> Admit(Guid centreId, Person person, string admittedOn = "2020-09-01") =>
        Send(HttpMethod.Post, $"/api/care-centres/{centreId}/admissions",
            Requests.Admission(person.HouseholdId, person.MemberId, admittedOn).ToJsonString(), CentreKeys.CivilAffairs);

    [Fact]
    public async Task An_admitted_resident_holds_a_bed_and_a_stay_other_modules_can_find_by_household()
    {
        var centreId = await Api.CentreWithBeds(10);
        var person = await Api.EligiblePerson();

        var response = await Admit(centreId, person);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stayId = (await Json(response)).GetProperty("stayId").GetGuid();
        Assert.Equal(2, (await Json(response)).GetProperty("version").GetInt32());
        var centre = await Api.Centre(centreId);
        Assert.Equal(1, centre.GetProperty("occupied").GetInt32());
        Assert.Equal(9, centre.GetProperty("free").GetInt32());
        var resident = Assert.Single(centre.GetProperty("residents").EnumerateArray());
        Assert.Equal(stayId, resident.GetProperty("stayId").GetGuid());
        Assert.Equal(person.MemberId, resident.GetProperty("memberId").GetGuid());
        Assert.Equal("2020-09-01", resident.GetProperty("since").GetString());

        await using var session = Store.QuerySession();
        var stay = Assert.Single(await session.Query<CentreStay>().Where(s => s.HouseholdId == person.HouseholdId).ToListAsync());
        Assert.Equal(stayId, stay.Id);
        Assert.Equal(StayKind.Admission, stay.Kind);
        Assert.Equal(StayStatus.Active, stay.Status);
        Assert.Equal(DisabilityType.Physical, stay.DisabilityType);
    }

    [Fact]
    public async Task A_full_centre_refuses_an_admission_with_a_409_naming_the_beds()
    {
        var centreId = await Api.CentreWithBeds(2);
        await Api.Admitted(centreId, await Api.EligiblePerson(sequence: 1));
        await Api.OnTrial(centreId, await Api.EligiblePerson(sequence: 2));

        var response = await Admit(centreId, await Api.EligiblePerson(sequence: 3));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:conflict", problem.GetProperty("type").GetString());
        Assert.Equal("All 2 beds of 木城医养中心 are occupied (1 residents, 1 trial stays).", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Only_the_severely_disabled_are_admitted_the_partly_dependent_are_invited_to_a_trial_stay()
    {
        var centreId = await Api.CentreWithBeds(5);
        var mild = await Api.EligiblePerson(sequence: 1, grade: 3, dependency: "None");
        var dependentOnly = await Api.EligiblePerson(sequence: 2, grade: null, dependency: "Partial");
        var severe = await Api.EligiblePerson(sequence: 3, grade: 2, dependency: "None");

        var refused = await Admit(centreId, mild);
        var notAdmitted = await Admit(centreId, dependentOnly);
        var admitted = await Admit(centreId, severe);
        var trial = await Api.OnTrial(centreId, dependentOnly);
        var mildTrial = await Send(HttpMethod.Post, $"/api/care-centres/{centreId}/trial-stays",
            Requests.TrialStay(mild.HouseholdId, mild.MemberId).ToJsonString(), CentreKeys.CivilAffairs);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("grade 3", (await Json(refused)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, notAdmitted.StatusCode);
        Assert.Equal("urn:relief:problem:not-admissible", (await Json(notAdmitted)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.NotEqual(Guid.Empty, trial);
        Assert.Equal("urn:relief:problem:not-admissible", (await Json(mildTrial)).GetProperty("type").GetString());
        // Two stays recorded: the severely disabled resident's and the trial.
        Assert.Equal(2, (await Api.Centre(centreId)).GetProperty("occupied").GetInt32());
    }

    [Fact]
    public async Task A_member_holds_one_active_stay_across_all_centres()
    {
        var first = await Api.CentreWithBeds(5, "木城医养中心");
        var second = await Api.CentreWithBeds(5, "三阳医养中心", "sanyang");
        var person = await Api.EligiblePerson();
        await Api.Admitted(first, person);

        var elsewhere = await Admit(second, person);
        var again = await Admit(first, person);
        var trial = await Send(HttpMethod.Post, $"/api/care-centres/{second}/trial-stays",
            Requests.TrialStay(person.HouseholdId, person.MemberId).ToJsonString(), CentreKeys.CivilAffairs);

        Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
        Assert.Contains("active admission", (await Json(elsewhere)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, trial.StatusCode);
    }

    [Fact]
    public async Task Unknown_households_and_members_are_404_and_missing_fields_400()
    {
        var centreId = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson();

        var noHousehold = await Admit(centreId, person with { HouseholdId = Guid.CreateVersion7() });
        var noMember = await Admit(centreId, person with { MemberId = Guid.CreateVersion7() });
        var future = await Admit(centreId, person, "2020-10-02");
        var missing = await Send(HttpMethod.Post, $"/api/care-centres/{centreId}/admissions", "{}", CentreKeys.CivilAffairs);

        Assert.Equal(HttpStatusCode.NotFound, noHousehold.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMember.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.True((await Json(future)).GetProperty("errors").TryGetProperty("admittedOn", out _));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await Json(missing)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["admittedOn", "householdId", "memberId"], errors);
    }

    [Fact]
    public async Task A_department_without_the_centres_scope_cannot_admit()
    {
        var centreId = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson();

        var response = await Send(HttpMethod.Post, $"/api/care-centres/{centreId}/admissions",
            Requests.Admission(person.HouseholdId, person.MemberId).ToJsonString(), Keys.Hrss);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_retried_admission_with_the_same_idempotency_key_admits_once()
    {
        var centreId = await Api.CentreWithBeds(5);
        var person = await Api.EligiblePerson();
        var body = Requests.Admission(person.HouseholdId, person.MemberId).ToJsonString();
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "admission-0001" };

        var first = await Send(HttpMethod.Post, $"/api/care-centres/{centreId}/admissions", body, CentreKeys.CivilAffairs, headers: headers);
        var retry = await Send(HttpMethod.Post, $"/api/care-centres/{centreId}/admissions", body, CentreKeys.CivilAffairs, headers: headers);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal((await Json(first)).GetProperty("stayId").GetGuid(), (await Json(retry)).GetProperty("stayId").GetGuid());
        Assert.Equal(1, (await Api.Centre(centreId)).GetProperty("occupied").GetInt32());
    }

    /// <summary>
    /// Six departments' systems admit six people at once to a centre with three free beds, without
    /// sending a version; losers of a race retry, as integrators are told to. Exactly three get in.
    /// </summary>
    [Fact]
    public async Task Concurrent_admissions_never_fill_more_than_the_beds()
    {
        var centreId = await Api.CentreWithBeds(4);
        await Api.Admitted(centreId, await Api.EligiblePerson(sequence: 99));
        var people = new List<Person>();
        for (var i = 1; i <= 6; i++) people.Add(await Api.EligiblePerson(sequence: i));

        var concurrencyConflicts = 0;
        async Task<HttpStatusCode> AdmitWithRetries(Person person)
        {
            for (var attempt = 0; ; attempt++)
            {
                var response = await Admit(centreId, person);
                var type = response.StatusCode == HttpStatusCode.Conflict ? (await Json(response)).GetProperty("type").GetString() : null;
                if (type != "urn:relief:problem:concurrency-conflict" || attempt == 20) return response.StatusCode;
                Interlocked.Increment(ref concurrencyConflicts);
            }
        }

        var outcomes = await Task.WhenAll(people.Select(p => Task.Run(() => AdmitWithRetries(p))));

        // How many races were lost and retried depends on scheduling (typically 5 to 12); the totals must not.
        Assert.True(outcomes.Count(s => s == HttpStatusCode.OK) == 3,
            $"{string.Join(", ", outcomes)} after {concurrencyConflicts} lost races");
        Assert.Equal(3, outcomes.Count(s => s == HttpStatusCode.Conflict));
        var centre = await Api.Centre(centreId);
        Assert.Equal(4, centre.GetProperty("occupied").GetInt32());
        Assert.Equal(0, centre.GetProperty("free").GetInt32());
        Assert.Equal(4, centre.GetProperty("residents").GetArrayLength());
        await using var session = Store.QuerySession();
        Assert.Equal(4, await session.Query<CentreStay>().CountAsync(s => s.CentreId == centreId && s.Status == StayStatus.Active));
    }
}
