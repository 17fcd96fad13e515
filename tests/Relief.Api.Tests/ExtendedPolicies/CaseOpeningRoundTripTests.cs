using System.Net;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>
/// Opening a case reads everything it decides on (the family or household, the family's agreements,
/// the open case of the same policy, the key that seals the note) in one round trip to PostgreSQL,
/// not one after the other (docs/performance.md, the write profile). Counted, not timed: each Npgsql
/// command or batch of the request is one round trip.
/// </summary>
public sealed class CaseOpeningRoundTripTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_households_case_reads_the_household_the_open_case_and_the_key_in_one_round_trip()
    {
        var householdId = await Api.RegisteredHousehold();

        var reads = await RoundTripsOfOpening(Requests.PolicyCase("SocialAssistance", householdId: householdId, stage: "NeedIdentified"));

        var read = Assert.Single(reads, s => s.Contains("mt_doc_householddetails", StringComparison.Ordinal));
        Assert.Contains("mt_doc_policycasedetails", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_householddatakey", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_familys_case_reads_the_family_its_agreements_the_open_case_and_the_key_in_one_round_trip()
    {
        var familyId = await Api.QualifiedFamily(Requests.CaregiverFamily("mucheng"));

        var reads = await RoundTripsOfOpening(Requests.PolicyCase("PublicWelfarePost", familyId: familyId));

        var read = Assert.Single(reads, s => s.Contains("mt_doc_caregiverfamilydetails", StringComparison.Ordinal));
        Assert.Contains("mt_doc_careagreementdetails", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_policycasedetails", read, StringComparison.Ordinal);
        Assert.Contains("mt_doc_householddatakey", read, StringComparison.Ordinal);
    }

    /// <summary>The statements of each round trip the opening made (one string per command or batch).</summary>
    private async Task<IReadOnlyList<string>> RoundTripsOfOpening(System.Text.Json.Nodes.JsonObject body)
    {
        using var sql = new SqlStatements();
        var response = await Send(HttpMethod.Post, "/api/policy-cases", body.ToJsonString(),
            headers: new Dictionary<string, string> { ["traceparent"] = sql.TraceParent, ["Idempotency-Key"] = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return sql.All;
    }
}
