using System.Net;

namespace Relief.Api.Tests.Supervision;

/// <summary>A township key reads its own township's supervision records only.</summary>
public sealed class SupervisionTownshipReadTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Inspections_evaluations_and_meetings_of_another_township_are_403_and_lists_keep_to_the_township()
    {
        var sanyangInspection = await Api.RecordedInspection(Requests.Inspection("sanyang"));
        var muchengInspection = await Api.RecordedInspection(Requests.Inspection("mucheng"));
        var sanyangHousehold = await Api.RegisteredHousehold(Requests.Household("sanyang"));
        var evaluation = await Api.Evaluated(sanyangHousehold);
        var meeting = (await Api.Send(HttpMethod.Post, "/api/exemplary-deed-meetings", Requests.Meeting("sanyang"), Keys.PovertyOffice, 201))
            .GetProperty("id").GetGuid();

        foreach (var url in new[]
                 {
                     $"/api/inspections/{sanyangInspection}", $"/api/evaluations/{evaluation}",
                     $"/api/households/{sanyangHousehold}/evaluations", $"/api/exemplary-deed-meetings/{meeting}",
                     "/api/inspections?township=sanyang", "/api/evaluations?township=sanyang",
                 })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, url, key: Keys.Mucheng)).StatusCode);
        }

        var inspections = await Api.Send(HttpMethod.Get, "/api/inspections", null, Keys.Mucheng);
        Assert.Equal([muchengInspection], inspections.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/evaluations", null, Keys.Mucheng)).GetProperty("items").EnumerateArray());
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/exemplary-deed-meetings", null, Keys.Mucheng)).GetProperty("items").EnumerateArray());
    }
}
