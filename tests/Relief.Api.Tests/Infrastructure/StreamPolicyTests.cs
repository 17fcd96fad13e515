using System.Net;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// One stream-existence policy for every module's write routes: an unknown stream is the module's
/// 404, a stream of another type too, an archived stream a 409; each before the version is looked at.
/// </summary>
public sealed class StreamPolicyTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>The stream kinds the modules declare, by one write route each.</summary>
    public static TheoryData<string> Kinds => ["household", "care agreement", "care centre", "caregiver family", "policy case", "training class", "inspection"];

    [Theory, MemberData(nameof(Kinds))]
    public async Task An_unknown_stream_is_the_modules_404_whatever_version_was_sent(string kind)
    {
        var response = await Write(kind, Guid.NewGuid());

        await AssertNotFound(kind, response);
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task A_stream_of_another_type_is_the_modules_404(string kind)
    {
        // A centre's id where a household is meant; a household's id everywhere else.
        var other = kind == "household" ? await Api.CentreWithBeds(10) : await Api.RegisteredHousehold();

        var response = await Write(kind, other);

        await AssertNotFound(kind, response);
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task An_archived_stream_is_a_409(string kind)
    {
        var id = await Stream(kind);
        await using (var session = Store.LightweightSession())
        {
            session.Events.ArchiveStream(id);
            await session.SaveChangesAsync();
        }

        var response = await Write(kind, id);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Json(response);
        if (kind == "household")
        {
            Assert.Equal("urn:relief:problem:household-closed", problem.GetProperty("type").GetString());
            Assert.Equal("The household is closed.", problem.GetProperty("title").GetString());
        }
        else
        {
            Assert.Equal("urn:relief:problem:conflict", problem.GetProperty("type").GetString());
            Assert.Equal("The record is archived.", problem.GetProperty("title").GetString());
            Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_live_stream_of_the_right_type_passes_the_policy()
    {
        foreach (var kind in Kinds)
        {
            var response = await Write(kind, await Stream(kind));

            // Whatever the write then answers (a stale version is the load's 409), it is none of the policy's.
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(!body.Contains($"No such {kind}.") && !body.Contains("household-closed") && !body.Contains("The record is archived."),
                $"{kind}: {(int)response.StatusCode} {body}");
        }
    }

    private static async Task AssertNotFound(string kind, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:not-found", problem.GetProperty("type").GetString());
        Assert.Equal($"No such {kind}.", problem.GetProperty("title").GetString());
    }

    private async Task<Guid> Stream(string kind) => kind switch
    {
        "household" => await Api.RegisteredHousehold(),
        "care agreement" => (await Api.HouseholdWithNeighbourAgreement()).Agreement,
        "care centre" => await Api.CentreWithBeds(10),
        "caregiver family" => await Api.RegisteredFamily(),
        "policy case" => await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", await Api.QualifiedFamily())),
        "training class" => await Api.ScheduledClass(),
        "inspection" => await Api.RecordedInspection(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>One write route of the kind, with a body that is valid on a stream at version 1.</summary>
    private Task<HttpResponseMessage> Write(string kind, Guid id) => kind switch
    {
        "household" => Send(HttpMethod.Put, $"/api/households/{id}/monitoring",
            """{ "version": 1, "status": "Monitored", "since": "2020-09-01" }"""),
        "care agreement" => Send(HttpMethod.Post, $"/api/care-agreements/{id}/end",
            """{ "version": 1, "endedOn": "2020-09-30", "reason": "搬迁" }"""),
        "care centre" => Send(HttpMethod.Post, $"/api/care-centres/{id}/beds",
            """{ "version": 1, "beds": 20, "reason": "扩建" }""", CentreKeys.CivilAffairs),
        "caregiver family" => Send(HttpMethod.Put, $"/api/caregiver-families/{id}/needs",
            """{ "version": 1, "surveyedOn": "2020-09-10", "needs": ["FamilyDoctor"] }"""),
        "policy case" => Send(HttpMethod.Post, $"/api/policy-cases/{id}/rejection",
            """{ "version": 1, "rejectedOn": "2020-09-10", "reason": "不符合条件" }"""),
        "training class" => Send(HttpMethod.Post, $"/api/training-classes/{id}/enrolments",
            Requests.Enrolment(Guid.NewGuid(), Guid.NewGuid()).ToJsonString(), Keys.Hrss),
        "inspection" => Send(HttpMethod.Post, $"/api/inspections/{id}/follow-ups/1/completion",
            new JsonObject { ["version"] = 1, ["completedOn"] = "2020-09-20" }.ToJsonString()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
