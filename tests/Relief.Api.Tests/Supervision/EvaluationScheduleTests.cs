using System.Net;

namespace Relief.Api.Tests.Supervision;

/// <summary>定期评比: each household due an evaluation per period; the missing ones flagged.</summary>
public sealed class EvaluationScheduleTests(AppFixture fixture) : ApiTest(fixture)
{
    private static DateTimeOffset China(int month, int day) => new(2020, month, day, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Two households of 木城 and one of 三阳 registered in June (due for 2020-Q3), one of 木城 registered in October (not due).</summary>
    private async Task<(Guid A, Guid B, Guid Sanyang)> Register()
    {
        Fixture.ClockAt(China(6, 15));
        var a = await Api.RegisteredHousehold();
        var b = await Api.RegisteredHousehold(Requests.Household("mucheng", Requests.Member("李二", sequence: 2)));
        var sanyang = await Api.RegisteredHousehold(Requests.Household("sanyang", Requests.Member("王三", sequence: 3)));
        Fixture.ClockAt(China(10, 2));
        await Api.RegisteredHousehold(Requests.Household("mucheng", Requests.Member("赵四", sequence: 4)));
        return (a, b, sanyang);
    }

    [Fact]
    public async Task After_the_quarter_the_households_not_evaluated_are_due_and_after_the_grace_missing()
    {
        var (a, b, sanyang) = await Register();
        Fixture.ClockAt(China(10, 15));
        var evaluation = await Api.Evaluated(a);

        var due = await Api.Send(HttpMethod.Get, "/api/evaluations/schedule", null);

        Assert.Equal(("2020-Q3", "2020-10-31", 3, 1, 2, 0), (due.GetProperty("period").GetString(), due.GetProperty("dueBy").GetString(),
            due.GetProperty("households").GetInt32(), due.GetProperty("evaluated").GetInt32(), due.GetProperty("due").GetInt32(),
            due.GetProperty("missing").GetInt32()));
        Assert.Equal(new[] { b, sanyang }.Order(), due.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("householdId").GetGuid()).Order());

        Fixture.ClockAt(China(11, 5));
        var missing = await Api.Send(HttpMethod.Get, "/api/evaluations/schedule?period=2020-Q3&status=Missing", null);

        Assert.Equal((0, 2), (missing.GetProperty("due").GetInt32(), missing.GetProperty("missing").GetInt32()));
        Assert.All(missing.GetProperty("items").EnumerateArray(), i => Assert.Equal("Missing", i.GetProperty("status").GetString()));
        var evaluated = await Api.Send(HttpMethod.Get, "/api/evaluations/schedule?period=2020-Q3&status=Evaluated", null);
        Assert.Equal(evaluation, Assert.Single(evaluated.GetProperty("items").EnumerateArray()).GetProperty("evaluationId").GetGuid());
    }

    [Fact]
    public async Task An_evaluation_of_another_period_does_not_count_and_a_township_sees_its_own()
    {
        var (a, _, sanyang) = await Register();
        Fixture.ClockAt(China(11, 5));
        await Api.Evaluated(a, Requests.Evaluation(period: "2020-09"));

        var county = await Api.Send(HttpMethod.Get, "/api/evaluations/schedule", null);
        var own = await Api.Send(HttpMethod.Get, "/api/evaluations/schedule", null, Keys.Sanyang);

        Assert.Equal((0, 3), (county.GetProperty("evaluated").GetInt32(), county.GetProperty("missing").GetInt32()));
        Assert.Equal(sanyang, Assert.Single(own.GetProperty("items").EnumerateArray()).GetProperty("householdId").GetGuid());
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "/api/evaluations/schedule?township=mucheng", null, Keys.Sanyang)).StatusCode);
    }

    [Theory]
    [InlineData("period=2020-Q5")]
    [InlineData("period=2020-09")]
    [InlineData("status=Late")]
    [InlineData("township=nowhere")]
    public async Task An_unknown_period_status_or_township_is_a_400(string query)
    {
        var response = await Send(HttpMethod.Get, $"/api/evaluations/schedule?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
