using System.Text.Json.Nodes;
using Marten;
using Relief.Api.CareAgreements;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Training;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>
/// The eligibility chain (八延伸), through the HTTP pipeline: a case, an enrolment or a placement only for
/// a family holding a kinship, neighbour or assigned-helper agreement in force, else a 409 of its own,
/// unless the poverty office grants an exception with a reason; one open case per family and policy;
/// a placement on a public-welfare post is the granted post case's job, once.
/// </summary>
public sealed class EligibilityChainTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string NoQualifyingAgreement = "urn:relief:problem:no-qualifying-agreement";

    private static JsonObject WithException(JsonObject body, string reason = "县扶贫办特批：托养人临时外出务工，协议续签中")
    {
        body["exception"] = new JsonObject { ["reason"] = reason };
        return body;
    }

    private async Task<int> EventCount()
    {
        await using var session = Store.QuerySession();
        return (int)await session.Events.QueryAllRawEvents().CountAsync();
    }

    [Fact]
    public async Task A_family_without_an_agreement_in_force_gets_no_case_no_enrolment_and_no_placement()
    {
        var family = await Api.RegisteredFamily();
        var member = await Api.FamilyMemberId(family, "李四");
        var trainingClass = await Api.ScheduledClass();
        var before = await EventCount();

        var refusals = new[]
        {
            await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("FinancialLoan", family), Keys.PovertyOffice, 409),
            await Api.Send(HttpMethod.Post, $"/api/training-classes/{trainingClass}/enrolments", Requests.Enrolment(family, member),
                Keys.Hrss, 409),
            await Api.Send(HttpMethod.Post, "/api/job-placements", Requests.Placement(family, member), Keys.Hrss, 409),
        };

        Assert.All(refusals, r => Assert.Equal(NoQualifyingAgreement, r.GetProperty("type").GetString()));
        Assert.Contains("holds no care agreement", refusals[0].GetProperty("detail").GetString());
        Assert.Equal(before, await EventCount());
    }

    [Fact]
    public async Task An_agreement_counts_only_while_in_force_on_the_business_date_of_the_request()
    {
        var family = await Api.RegisteredFamily();
        var member = await Api.FamilyMemberId(family, "李四");
        await Api.CaringAgreement(family, CareMode.NeighbourCare, startsOn: "2020-04-01", endsOn: "2020-08-31");

        var late = await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("SocialAssistance", family), Keys.PovertyOffice, 409);
        var placedLate = await Api.Send(HttpMethod.Post, "/api/job-placements", Requests.Placement(family, member), Keys.Hrss, 409);

        Assert.Equal(NoQualifyingAgreement, late.GetProperty("type").GetString());
        Assert.Contains("NeighbourCare 2020-04-01–2020-08-31", late.GetProperty("detail").GetString());
        Assert.Equal(NoQualifyingAgreement, placedLate.GetProperty("type").GetString());
        // Dated while the agreement was in force, the same requests pass.
        await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", family, openedOn: "2020-08-31"));
        await Api.Send(HttpMethod.Post, "/api/job-placements", Requests.Placement(family, member, placedOn: "2020-08-20"), Keys.Hrss, 201);
    }

    [Fact]
    public async Task The_poverty_office_grants_an_exception_with_a_reason_and_the_case_and_the_weekly_report_show_it()
    {
        var family = await Api.RegisteredFamily();

        var forbidden = await Api.Send(HttpMethod.Post, "/api/policy-cases", WithException(Requests.PolicyCase("FinancialLoan", family)),
            PolicyKeys.Bank, 403);
        var noReason = await Api.Send(HttpMethod.Post, "/api/policy-cases", WithException(Requests.PolicyCase("FinancialLoan", family), " "),
            Keys.PovertyOffice, 400);
        var caseId = await Api.OpenedCase(WithException(Requests.PolicyCase("FinancialLoan", family)));

        Assert.Contains("PovertyAlleviationOffice", forbidden.GetProperty("detail").GetString());
        Assert.True(noReason.GetProperty("errors").TryGetProperty("exception.reason", out _));
        var view = await Api.PolicyCase(caseId);
        Assert.Equal(2, view.GetProperty("version").GetInt32());
        Assert.Equal(("PovertyAlleviationOffice", "县扶贫办特批：托养人临时外出务工，协议续签中", "2020-09-28"),
            (view.GetProperty("exception").GetProperty("grantedBy").GetString(),
                view.GetProperty("exception").GetProperty("reason").GetString(),
                view.GetProperty("exception").GetProperty("grantedOn").GetString()));
        await using (var session = Store.QuerySession())
        {
            var granted = Assert.IsType<EligibilityExceptionGranted>((await session.Events.FetchStreamAsync(caseId))[1].Data);
            Assert.Equal((caseId, EligibilitySubject.PolicyCase, family), (granted.SubjectId, granted.Subject, granted.CaregiverFamilyId));
        }

        // The case moves on at its version as any other.
        await Api.Move(caseId, "eligibility", Requests.Eligibility(2, true), PolicyKeys.Bank);
        var report = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal((1, 1), report.County("eligibilityExceptions"));
        Assert.Equal((1, 1), report.Township("mucheng", "eligibilityExceptions"));
    }

    [Fact]
    public async Task No_exception_is_recorded_for_a_family_inside_the_chain()
    {
        var family = await Api.QualifiedFamily();

        var needless = await Api.Send(HttpMethod.Post, "/api/policy-cases", WithException(Requests.PolicyCase("FinancialLoan", family)),
            Keys.PovertyOffice, 409);

        Assert.Equal("urn:relief:problem:conflict", needless.GetProperty("type").GetString());
        Assert.Contains("KinshipCare", needless.GetProperty("detail").GetString());
        var report = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal((0, 0), report.County("eligibilityExceptions"));
    }

    [Fact]
    public async Task Enrolments_and_placements_by_exception_are_recorded_as_such()
    {
        var family = await Api.RegisteredFamily();
        var member = await Api.FamilyMemberId(family, "李四");
        var trainingClass = await Api.ScheduledClass();

        await Api.Send(HttpMethod.Post, $"/api/training-classes/{trainingClass}/enrolments", WithException(Requests.Enrolment(family, member)),
            Keys.Hrss, 403);
        var enrolled = await Api.Send(HttpMethod.Post, $"/api/training-classes/{trainingClass}/enrolments",
            WithException(Requests.Enrolment(family, member)), Keys.PovertyOffice);
        var placed = await Api.Send(HttpMethod.Post, "/api/job-placements", WithException(Requests.Placement(family, member)),
            Keys.PovertyOffice, 201);

        Assert.Equal(3, enrolled.GetProperty("version").GetInt32());
        var enrolment = Assert.Single((await Api.TrainingClass(trainingClass)).GetProperty("enrolments").EnumerateArray());
        Assert.Equal("PovertyAlleviationOffice", enrolment.GetProperty("exception").GetProperty("grantedBy").GetString());
        var placement = await Api.Send(HttpMethod.Get, $"/api/job-placements/{placed.GetProperty("id").GetGuid()}", null);
        Assert.Equal("县扶贫办特批：托养人临时外出务工，协议续签中", placement.GetProperty("exception").GetProperty("reason").GetString());
        Assert.Equal(2, (await Api.WeeklyDispatch("2020-W40")).County("eligibilityExceptions").Value);
    }

    [Fact]
    public async Task A_family_has_one_open_case_per_policy()
    {
        var family = await Api.QualifiedFamily();
        var first = await Api.OpenedCase(Requests.PolicyCase("MedicalAssistance", family));

        var second = await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("MedicalAssistance", family, stage: "NeedIdentified"),
            Keys.PovertyOffice, 409);

        Assert.Equal("urn:relief:problem:case-already-open", second.GetProperty("type").GetString());
        Assert.Contains(first.ToString(), second.GetProperty("detail").GetString());
        // Another policy opens; once the first case is closed, a new case of its policy opens too.
        await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", family));
        await Api.Move(first, "closure", Requests.Closure(1, "撤回"));
        await Api.OpenedCase(Requests.PolicyCase("MedicalAssistance", family));
    }

    [Fact]
    public async Task A_household_has_one_open_case_per_policy_too()
    {
        var household = await Api.RegisteredHousehold();
        await Api.OpenedCase(Requests.PolicyCase("SocialAssistance", householdId: household));

        var second = await Api.Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("SocialAssistance", householdId: household),
            Keys.PovertyOffice, 409);

        Assert.Equal("urn:relief:problem:case-already-open", second.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Two_concurrent_openings_of_one_familys_case_of_one_policy_open_one()
    {
        var family = await Api.QualifiedFamily();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Send(HttpMethod.Post, "/api/policy-cases", Requests.PolicyCase("CharityAssistance", family).ToJsonString(), Keys.PovertyOffice)));

        Assert.Equal(1, answers.Count(a => a.StatusCode == System.Net.HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.StatusCode != System.Net.HttpStatusCode.Created),
            a => Assert.Equal(System.Net.HttpStatusCode.Conflict, a.StatusCode));
        await using var session = Store.QuerySession();
        Assert.Equal(1, await session.Query<PolicyCaseDetails>().CountAsync(c => c.CaregiverFamilyId == family));
    }

    [Fact]
    public async Task A_loan_family_counts_once_in_the_funnel_however_many_cases_it_had()
    {
        var (family, first) = await Api.FamilyWithLoanIntent();
        await Api.Move(first, "eligibility", Requests.Eligibility(1, false, reason: "征信不良"), PolicyKeys.Bank);
        var second = await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", family, openedOn: "2020-09-30"));
        await Api.Move(second, "eligibility", Requests.Eligibility(1, true, decidedOn: "2020-09-30"), PolicyKeys.Bank);

        var funnel = await Api.Send(HttpMethod.Get, "/api/reports/loan-funnel", null, Keys.Reports);

        Assert.Equal((1, 1, 0), (funnel.GetProperty("intents").GetInt32(), funnel.GetProperty("eligible").GetInt32(),
            funnel.GetProperty("ineligible").GetInt32()));
    }

    [Fact]
    public async Task A_placement_on_a_public_welfare_post_is_the_granted_post_cases_job_once()
    {
        var trainee = await Api.FamilyHead();
        var post = await Api.OpenedCase(Requests.PolicyCase("PublicWelfarePost", trainee.FamilyId), Keys.Hrss);
        JsonObject OnPost(Guid? caseId)
        {
            var body = Requests.Placement(trainee.FamilyId, trainee.MemberId, "PublicWelfarePost", placedOn: "2020-10-01");
            body.Remove("employer");
            if (caseId is not null) body["caseId"] = caseId.Value.ToString();
            return body;
        }

        var unnamed = await Api.Send(HttpMethod.Post, "/api/job-placements", OnPost(null), Keys.Hrss, 400);
        var notGranted = await Api.Send(HttpMethod.Post, "/api/job-placements", OnPost(post), Keys.Hrss, 409);
        await Api.Move(post, "verification", Requests.Verification(1), Keys.Hrss);
        await Api.Move(post, "grant", Requests.PostGrant(2), Keys.Hrss);
        var placed = await Api.Send(HttpMethod.Post, "/api/job-placements", OnPost(post), Keys.Hrss, 201);
        var again = await Api.Send(HttpMethod.Post, "/api/job-placements", OnPost(post), Keys.Hrss, 409);
        var otherChannel = Requests.Placement(trainee.FamilyId, trainee.MemberId);
        otherChannel["caseId"] = post.ToString();
        var wrongChannel = await Api.Send(HttpMethod.Post, "/api/job-placements", otherChannel, Keys.Hrss, 400);

        Assert.True(unnamed.GetProperty("errors").TryGetProperty("caseId", out _));
        Assert.Contains("not granted", notGranted.GetProperty("title").GetString());
        Assert.Contains(placed.GetProperty("id").GetGuid().ToString(), again.GetProperty("detail").GetString());
        Assert.True(wrongChannel.GetProperty("errors").TryGetProperty("caseId", out _));
        var placement = await Api.Send(HttpMethod.Get, $"/api/job-placements/{placed.GetProperty("id").GetGuid()}", null);
        Assert.Equal((post, "木城街道办事处"), (placement.GetProperty("caseId").GetGuid(), placement.GetProperty("employer").GetString()));
        var report = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal((1, 1, 1), (report.County("jobPlacements").Value, report.County("jobPlacementsPublicWelfarePost").Value,
            report.County("publicWelfarePosts").Value));
    }

    [Fact]
    public async Task A_placement_names_only_its_own_familys_public_welfare_post_case()
    {
        var trainee = await Api.FamilyHead();
        var other = await Api.QualifiedFamily(Requests.CaregiverFamily(head: Requests.FamilyMember("王五", sequence: 33)));
        var post = await Api.OpenedCase(Requests.PolicyCase("PublicWelfarePost", other), Keys.Hrss);
        await Api.Move(post, "verification", Requests.Verification(1), Keys.Hrss);
        await Api.Move(post, "grant", Requests.PostGrant(2), Keys.Hrss);
        var body = Requests.Placement(trainee.FamilyId, trainee.MemberId, "PublicWelfarePost", placedOn: "2020-10-01");
        body["caseId"] = post.ToString();

        var refused = await Api.Send(HttpMethod.Post, "/api/job-placements", body, Keys.Hrss, 409);

        Assert.Contains("Not this family's", refused.GetProperty("title").GetString());
        await using var session = Store.QuerySession();
        Assert.Equal(0, await session.Query<JobPlacementDetails>().CountAsync());
    }
}
