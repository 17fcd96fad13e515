using System.Net;
using Marten;
using Relief.Api.ExtendedPolicies.Training;

namespace Relief.Api.Tests.ExtendedPolicies.Training;

public sealed class TrainingClassTests(AppFixture fixture) : ApiTest(fixture)
{
    private Task<HttpResponseMessage> Enrol(Guid classId, Trainee trainee, string key = Keys.Hrss) =>
        Send(HttpMethod.Post, $"/api/training-classes/{classId}/enrolments",
            Requests.Enrolment(trainee.FamilyId, trainee.MemberId).ToJsonString(), key);

    private Task<HttpResponseMessage> Complete(Guid classId, Guid enrolmentId, string body = """{"completedOn":"2020-09-30","certificateNo":"DG-017"}""") =>
        Send(HttpMethod.Post, $"/api/training-classes/{classId}/enrolments/{enrolmentId}/completion", body, Keys.Hrss);

    private Task<HttpResponseMessage> Withdraw(Guid classId, Guid enrolmentId) =>
        Send(HttpMethod.Post, $"/api/training-classes/{classId}/enrolments/{enrolmentId}/withdrawal",
            """{"withdrewOn":"2020-10-01","reason":"外出务工"}""", Keys.Hrss);

    [Fact]
    public async Task A_scheduled_class_shows_its_seats_and_is_listed()
    {
        var response = await Send(HttpMethod.Post, "/api/training-classes", Requests.TrainingClass(12).ToJsonString(), Keys.Hrss);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await Json(response)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/training-classes/{id}", response.Headers.Location!.ToString());
        var view = await Api.TrainingClass(id);
        Assert.Equal(("Electrician", 12, 12, 0, "mucheng"), (view.GetProperty("trade").GetString(), view.GetProperty("capacity").GetInt32(),
            view.GetProperty("seatsFree").GetInt32(), view.GetProperty("enrolled").GetInt32(), view.GetProperty("township").GetString()));
        var list = await Api.Send(HttpMethod.Get, "/api/training-classes?trade=Electrician&township=木城街道", null);
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var none = await Api.Send(HttpMethod.Get, "/api/training-classes?trade=Welder", null);
        Assert.Empty(none.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_class_needs_its_fields_and_a_capacity_and_its_end_after_its_start()
    {
        var body = Requests.TrainingClass(0, startsOn: "2020-10-10", endsOn: "2020-10-01");
        body.Remove("title");
        body["trade"] = "Plumber";

        var badTrade = await Send(HttpMethod.Post, "/api/training-classes", body.ToJsonString(), Keys.Hrss);
        body["trade"] = "Welder";
        var invalid = await Send(HttpMethod.Post, "/api/training-classes", body.ToJsonString(), Keys.Hrss);

        Assert.Equal(HttpStatusCode.BadRequest, badTrade.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await Json(invalid)).GetProperty("errors");
        Assert.Equal(["capacity", "endsOn", "title"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Only_owners_of_training_with_policies_write_schedule_or_enrol()
    {
        var classId = await Api.ScheduledClass();
        var trainee = await Api.FamilyHead();

        var health = await Send(HttpMethod.Post, "/api/training-classes", Requests.TrainingClass().ToJsonString(), SupervisionKeys.Health);
        var township = await Send(HttpMethod.Post, "/api/training-classes", Requests.TrainingClass().ToJsonString(), Keys.Mucheng);
        var enrol = await Enrol(classId, trainee, SupervisionKeys.Health);
        var office = await Enrol(classId, trainee, Keys.PovertyOffice);

        Assert.Equal(HttpStatusCode.Forbidden, health.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, township.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, enrol.StatusCode);
        Assert.Equal(HttpStatusCode.OK, office.StatusCode);
    }

    [Fact]
    public async Task An_enrolled_member_takes_a_seat_and_the_family_sees_the_training()
    {
        var classId = await Api.ScheduledClass(capacity: 3);
        var trainee = await Api.FamilyHead();

        var response = await Enrol(classId, trainee);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = await Json(response);
        Assert.Equal(2, saved.GetProperty("version").GetInt32());
        var enrolmentId = saved.GetProperty("enrolmentId").GetGuid();
        var view = await Api.TrainingClass(classId);
        Assert.Equal((1, 2), (view.GetProperty("enrolled").GetInt32(), view.GetProperty("seatsFree").GetInt32()));
        var enrolment = Assert.Single(view.GetProperty("enrolments").EnumerateArray());
        Assert.Equal(("李四", "Enrolled", "2020-10-01"), (enrolment.GetProperty("memberName").GetString(),
            enrolment.GetProperty("status").GetString(), enrolment.GetProperty("enrolledOn").GetString()));
        var family = await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{trainee.FamilyId}/training-and-employment", null);
        var training = Assert.Single(family.GetProperty("training").EnumerateArray());
        Assert.Equal(enrolmentId, training.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_full_class_refuses_an_enrolment_with_a_409()
    {
        var classId = await Api.ScheduledClass(capacity: 1);
        await Api.Enrolled(classId, await Api.FamilyHead(sequence: 21, name: "李四"));

        var response = await Enrol(classId, await Api.FamilyHead(sequence: 22, name: "王五"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("The class is full.", (await Json(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Two_enrolments_racing_for_the_last_seat_never_both_succeed()
    {
        var classId = await Api.ScheduledClass(capacity: 1);
        var first = await Api.FamilyHead(sequence: 21, name: "李四");
        var second = await Api.FamilyHead(sequence: 22, name: "王五");

        var responses = await Task.WhenAll(Enrol(classId, first), Enrol(classId, second));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        var view = await Api.TrainingClass(classId);
        Assert.Equal((1, 0), (view.GetProperty("enrolled").GetInt32(), view.GetProperty("seatsFree").GetInt32()));
    }

    [Fact]
    public async Task A_member_enrols_once()
    {
        var classId = await Api.ScheduledClass();
        var trainee = await Api.FamilyHead();
        await Api.Enrolled(classId, trainee);

        var again = await Enrol(classId, trainee);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("The member is already enrolled.", (await Json(again)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_unknown_class_family_or_member_is_a_404_and_missing_fields_a_400()
    {
        var classId = await Api.ScheduledClass();
        var trainee = await Api.FamilyHead();
        var household = await Api.RegisteredHousehold();

        var noClass = await Enrol(Guid.CreateVersion7(), trainee);
        var notAClass = await Enrol(household, trainee);
        var noFamily = await Enrol(classId, trainee with { FamilyId = Guid.CreateVersion7() });
        var noMember = await Enrol(classId, trainee with { MemberId = Guid.CreateVersion7() });
        var missing = await Send(HttpMethod.Post, $"/api/training-classes/{classId}/enrolments", "{}", Keys.Hrss);

        Assert.Equal(HttpStatusCode.NotFound, noClass.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAClass.StatusCode);
        Assert.Equal("No such caregiver family.", (await Json(noFamily)).GetProperty("title").GetString());
        Assert.Equal("No such member.", (await Json(noMember)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task A_completion_records_the_certificate_and_counts_as_trained()
    {
        var classId = await Api.ScheduledClass();
        var trainee = await Api.FamilyHead();
        var enrolmentId = await Api.Enrolled(classId, trainee);

        var response = await Complete(classId, enrolmentId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await Api.TrainingClass(classId);
        Assert.Equal((0, 1, 29), (view.GetProperty("enrolled").GetInt32(), view.GetProperty("completed").GetInt32(),
            view.GetProperty("seatsFree").GetInt32()));
        var enrolment = Assert.Single(view.GetProperty("enrolments").EnumerateArray());
        Assert.Equal(("Completed", "DG-017"), (enrolment.GetProperty("status").GetString(), enrolment.GetProperty("certificateNo").GetString()));
        await using var session = Store.QuerySession();
        var trained = await session.Query<Traineeship>()
            .CountAsync(t => t.Status == EnrolmentStatus.Completed && t.CompletedOn >= new DateOnly(2020, 9, 28) && t.Township == "mucheng");
        Assert.Equal(1, trained);
    }

    [Fact]
    public async Task Completing_twice_a_withdrawn_or_an_unknown_enrolment_is_refused()
    {
        var classId = await Api.ScheduledClass();
        var completed = await Api.Enrolled(classId, await Api.FamilyHead(sequence: 21, name: "李四"));
        var withdrawn = await Api.Enrolled(classId, await Api.FamilyHead(sequence: 22, name: "王五"));
        await Complete(classId, completed);
        Assert.Equal(HttpStatusCode.OK, (await Withdraw(classId, withdrawn)).StatusCode);

        var twice = await Complete(classId, completed);
        var afterWithdrawal = await Complete(classId, withdrawn);
        var unknown = await Complete(classId, Guid.CreateVersion7());
        var open = await Api.Enrolled(classId, await Api.FamilyHead(sequence: 23, name: "赵六"));
        var early = await Complete(classId, open, """{"completedOn":"2020-09-01"}""");

        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, afterWithdrawal.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("completedOn", (await Json(early)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_withdrawal_frees_the_seat()
    {
        var classId = await Api.ScheduledClass(capacity: 1);
        var first = await Api.Enrolled(classId, await Api.FamilyHead(sequence: 21, name: "李四"));

        var withdrawn = await Withdraw(classId, first);
        var next = await Enrol(classId, await Api.FamilyHead(sequence: 22, name: "王五"));
        var again = await Withdraw(classId, first);
        var nextId = (await Json(next)).GetProperty("enrolmentId").GetGuid();
        var missing = await Send(HttpMethod.Post, $"/api/training-classes/{classId}/enrolments/{nextId}/withdrawal", "{}", Keys.Hrss);

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(1, (await Api.TrainingClass(classId)).GetProperty("withdrawn").GetInt32());
    }

    [Fact]
    public async Task An_unknown_class_reads_as_404_and_a_bad_filter_as_400()
    {
        var unknown = await Send(HttpMethod.Get, $"/api/training-classes/{Guid.CreateVersion7()}");
        var badTrade = await Send(HttpMethod.Get, "/api/training-classes?trade=Plumber");
        var badLimit = await Send(HttpMethod.Get, "/api/training-classes?limit=0");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badTrade.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task Classes_are_listed_a_page_at_a_time()
    {
        // Both ids are made at the same pinned instant, so which sorts first is random: compare sets.
        var first = await Api.ScheduledClass();
        var second = await Api.ScheduledClass();

        var page = await Api.Send(HttpMethod.Get, "/api/training-classes?limit=1", null);
        var next = await Api.Send(HttpMethod.Get, $"/api/training-classes?limit=1&cursor={page.GetProperty("nextCursor").GetString()}", null);

        var listed = new[] { page, next }.Select(p => Assert.Single(p.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(new[] { first, second }.Order(), listed.Order());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, next.GetProperty("nextCursor").ValueKind);
    }
}
