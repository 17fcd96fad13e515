using System.Text.Json;
using Snapshooter.Xunit;

namespace Relief.Api.Tests.Infrastructure;

public sealed class OpenApiTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<JsonElement> Document() =>
        await Json(await Send(HttpMethod.Get, "/swagger/v1/swagger.json", key: null));

    /// <summary>
    /// Pins the whole published contract: any change to a route, a schema or a header shows up as a
    /// snapshot diff to review (the snapshot file is committed under __snapshots__).
    /// </summary>
    [Fact]
    public async Task The_OpenAPI_document_matches_the_approved_snapshot()
    {
        var document = await Send(HttpMethod.Get, "/swagger/v1/swagger.json", key: null);

        Snapshot.Match(await document.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task It_shows_both_security_schemes_and_requires_one_on_every_api_route()
    {
        var document = await Document();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        foreach (var operation in Operations(document))
        {
            Assert.Equal(2, operation.Value.GetProperty("security").GetArrayLength());
        }
    }

    [Fact]
    public async Task Every_write_documents_the_Idempotency_Key_and_its_problem_answers()
    {
        var document = await Document();

        var writes = Operations(document).Where(o => o.Method != "get").ToList();
        Assert.NotEmpty(writes);
        foreach (var (_, _, operation) in writes)
        {
            var headers = operation.GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("in").GetString() == "header")
                .Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Contains("Idempotency-Key", headers);
            Assert.Contains("X-Operator", headers);
            Assert.Contains("X-External-Ref", headers);
            var responses = operation.GetProperty("responses");
            foreach (var status in new[] { "400", "401", "403", "409", "413", "415", "422" })
            {
                Assert.True(responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _),
                    $"{status} is documented as problem details");
            }
        }
    }

    /// <summary>
    /// Every operation has an id a generator can turn into a method name: camelCase letters and
    /// digits, unique in the document (they come from the endpoint classes: see OperationIds).
    /// </summary>
    [Fact]
    public async Task Every_operation_id_is_camelCase_and_unique()
    {
        var document = await Document();

        var ids = AllOperations(document).Select(o => o.Value.GetProperty("operationId").GetString()!).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Matches("^[a-z][A-Za-z0-9]*$", id));
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Contains("registerHousehold", ids);
    }

    /// <summary>Component names are identifiers (no generic arity, no assembly names) and stable.</summary>
    [Fact]
    public async Task Every_schema_name_is_an_identifier()
    {
        var document = await Document();

        var names = document.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();
        Assert.All(names, name => Assert.Matches("^[A-Z][A-Za-z0-9]*$", name));
        Assert.Contains("PageOfHouseholdListItem", names);
    }

    /// <summary>Every error answer of every operation is a problem (RFC 9457) with its schema.</summary>
    [Fact]
    public async Task Every_error_answer_is_a_problem_with_a_schema()
    {
        var document = await Document();

        foreach (var (path, method, operation) in AllOperations(document))
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                Assert.True(response.Value.TryGetProperty("content", out var content)
                            && content.TryGetProperty("application/problem+json", out var problem)
                            && problem.TryGetProperty("schema", out _),
                    $"{method} {path} {response.Name} has a problem-details schema");
            }
        }
    }

    /// <summary>
    /// The write routes whose request body has no example yet (see IHasExample). A new write route
    /// must come with one; a route that gains one must leave this list. The list only shrinks.
    /// </summary>
    private static readonly HashSet<string> WritesWithoutExampleYet =
    [
        "activateCarePlan", "addCaregiverFamilyMember", "addHouseholdMember", "admitResident", "adoptAdmissionRule",
        "adoptFundingRule", "applyForPolicy", "assessHousehold", "assignResponsibleCadre", "awardHonour",
        "changeCaregiverFamilyMember", "changeCentreBeds", "changeHouseholdDetails", "changeHouseholdMember",
        "changeMonitoringStatus", "chooseCare", "closeHousehold", "closePolicyCase", "completeFollowUp",
        "completeTraining", "convertTrialStay", "decideLoanEligibility", "dischargeResident", "draftCarePlan",
        "endFamilyDoctorAgreement", "endTrialStay", "enrolTrainee",
        "evaluateHousehold", "grantMaterialReward", "grantPolicy", "moveHouseholdMember", "openPolicyCase",
        "placeInJob", "recordCentreService", "recordExemplaryDeedMeeting", "recordFollowUpVisit", "recordInspection",
        "recordOutreachVisit", "registerCareCentre", "registerCaregiverFamily", "registerHouseholds",
        "rejectPolicyCase", "removeCaregiverFamilyMember", "removeHouseholdMember", "reviewCarePlan",
        "scheduleTrainingClass", "setCarePlanMeasures", "signFamilyDoctorAgreement", "startTrialStay",
        "startVerification", "subscribeWebhook", "surveyNeeds", "transferResident", "voidEntry", "withdrawTrainee",
        "surveyHappiness", "openVerificationRound", "recordVerification", "closeVerificationRound",
        // Spreadsheet uploads: a file (CSV, XLSX or a form's file) has no JSON example to show; the template routes give one.
        "uploadHouseholds", "uploadHouseholdMembers", "uploadPolicyDecisions",
    ];

    [Fact]
    public async Task Every_write_with_a_body_shows_an_example_request()
    {
        var document = await Document();

        var missing = Operations(document)
            .Where(o => o.Method != "get" && o.Value.TryGetProperty("requestBody", out _))
            .Where(o => !o.Value.GetProperty("requestBody").GetProperty("content").EnumerateObject()
                .All(m => m.Value.TryGetProperty("example", out _)))
            .Select(o => o.Value.GetProperty("operationId").GetString()!)
            .ToHashSet();

        Assert.Empty(missing.Except(WritesWithoutExampleYet));
        Assert.Empty(WritesWithoutExampleYet.Except(missing));
    }

    private static IEnumerable<(string Path, string Method, JsonElement Value)> AllOperations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));

    private static IEnumerable<(string Path, string Method, JsonElement Value)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));
}
