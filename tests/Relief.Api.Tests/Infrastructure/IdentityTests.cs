using System.Net;
using Microsoft.IdentityModel.Tokens;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// Who a credential says its holder is: a township credential names its township, a bank names
/// which bank it is, and a token is signed with the one algorithm Relief accepts. One bank's
/// webhook subscriptions and loan cases are not another's.
/// </summary>
public sealed class IdentityTests(AppFixture fixture) : ApiTest(fixture)
{
    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = $"Bearer {token}" };

    [Fact]
    public async Task A_township_token_without_its_township_is_refused_at_authentication()
    {
        await Api.RegisteredHousehold(Requests.Household("mucheng"));
        await Api.RegisteredHousehold(Requests.Household("sanyang"));
        var unbound = Tokens.Issue("clerk@somewhere", "Township", "households:read households:write");
        var bound = Tokens.Issue("clerk@sanyang", "Township", "households:read", "sanyang");

        var refused = await Send(HttpMethod.Get, "/api/households", key: null, headers: Bearer(unbound));
        var scoped = await Send(HttpMethod.Get, "/api/households", key: null, headers: Bearer(bound));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var problem = await Json(refused);
        Assert.Equal("urn:relief:problem:unauthenticated", problem.GetProperty("type").GetString());
        Assert.Contains("township", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, scoped.StatusCode);
        var townships = (await Json(scoped)).GetProperty("items").EnumerateArray().Select(h => h.GetProperty("township").GetString());
        Assert.Equal(["sanyang"], townships);
    }

    [Fact]
    public async Task A_token_bound_to_a_township_the_county_does_not_have_is_refused()
    {
        var token = Tokens.Issue("clerk@nowhere", "Township", "households:read", "nowhere");

        var response = await Send(HttpMethod.Get, "/api/households", key: null, headers: Bearer(token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Bank", null)]
    [InlineData("Bank", "bad code with spaces")]
    [InlineData("Treasury", null)]
    [InlineData("7", null)]
    public async Task A_bank_token_without_its_organisation_or_a_token_of_no_known_department_is_refused(string department,
        string? organisation)
    {
        var token = Tokens.Issue("loans@bank", department, "policies:write households:read", organisation: organisation);

        var response = await Send(HttpMethod.Get, "/api/policy-cases", key: null, headers: Bearer(token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_bank_token_with_its_organisation_is_accepted()
    {
        var token = Tokens.Issue("loans@bank-a", "Bank", "policies:write households:read", organisation: "bank-a");

        var response = await Send(HttpMethod.Get, "/api/policy-cases", key: null, headers: Bearer(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha384)]
    [InlineData(SecurityAlgorithms.HmacSha512)]
    public async Task A_token_signed_with_another_algorithm_is_refused_even_with_the_right_key(string algorithm)
    {
        var token = Tokens.Issue("x", "PovertyAlleviationOffice", "admin", algorithm: algorithm);

        var response = await Send(HttpMethod.Get, "/api/policy-cases", key: null, headers: Bearer(token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var response = await Send(HttpMethod.Get, "/api/policy-cases", key: null,
            headers: Bearer(Tokens.Unsigned("x", "PovertyAlleviationOffice", "admin")));
        var signed = await Send(HttpMethod.Get, "/api/policy-cases", key: null,
            headers: Bearer(Tokens.Issue("x", "PovertyAlleviationOffice", "admin")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
    }

    [Fact]
    public async Task A_bank_sees_and_cancels_only_its_own_banks_webhook_subscriptions()
    {
        var url = Fixture.Receivers.Sink.Url;
        var bankA = await Api.WebhookSubscription(url, Keys.BankA);
        var bankB = await Api.WebhookSubscription(url, Keys.BankB);

        var listedForB = await Api.Send(HttpMethod.Get, "/api/webhook-subscriptions", null, Keys.BankB);
        Assert.Equal([bankB], listedForB.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        await Api.Send(HttpMethod.Get, $"/api/webhook-subscriptions/{bankA}", null, Keys.BankB, 404);
        await Api.Send(HttpMethod.Post, $"/api/webhook-subscriptions/{bankA}/cancellation", null, Keys.BankB, 404);

        var still = await Api.Send(HttpMethod.Get, $"/api/webhook-subscriptions/{bankA}", null, Keys.BankA);
        Assert.False(still.GetProperty("cancelled").GetBoolean());
        Assert.Equal("bank-a", still.GetProperty("organisation").GetString());
        await Api.Send(HttpMethod.Post, $"/api/webhook-subscriptions/{bankA}/cancellation", null, Keys.BankA, 200);
    }

    [Fact]
    public async Task A_bank_sees_and_replays_only_its_own_banks_webhook_deliveries()
    {
        var receiver = Fixture.Receivers.First;
        await Api.WebhookSubscription(receiver.Url, Keys.BankA, "HouseholdRegistered");
        await Api.AsyncDaemonRunning();
        await Api.RegisteredHousehold();
        await receiver.WaitForCount(1);

        var forA = await Api.Send(HttpMethod.Get, "/api/webhook-deliveries", null, Keys.BankA);
        var forB = await Api.Send(HttpMethod.Get, "/api/webhook-deliveries", null, Keys.BankB);

        var delivery = Assert.Single(forA.EnumerateArray()).GetProperty("deliveryId").GetGuid();
        Assert.Empty(forB.EnumerateArray());
        await Api.Send(HttpMethod.Post, $"/api/webhook-deliveries/{delivery}/replay", null, Keys.BankB, 404);
    }

    [Fact]
    public async Task A_loan_decided_by_one_bank_is_not_moved_by_another()
    {
        var (_, caseId) = await Api.FamilyWithLoanIntent();
        await Api.Move(caseId, "eligibility", Requests.Eligibility(1, true), Keys.BankA);

        var verification = await Api.Move(caseId, "verification", Requests.Verification(2), Keys.BankB, 403);
        var closure = await Api.Move(caseId, "closure", Requests.Closure(2, note: "另行办理"), Keys.BankB, 403);

        Assert.Contains("bank-a", verification.GetProperty("detail").GetString());
        Assert.Contains("bank-a", closure.GetProperty("detail").GetString());
        var unchanged = await Api.PolicyCase(caseId);
        Assert.Equal("Eligible", unchanged.GetProperty("stage").GetString());
        Assert.Equal(2, unchanged.GetProperty("version").GetInt32());

        // The bank that took it on goes on, and so does the poverty office, which owns loans with the banks.
        await Api.Move(caseId, "verification", Requests.Verification(2), Keys.BankA);
        await Api.Move(caseId, "grant", Requests.LoanGrant(3), Keys.PovertyOffice);
    }

    [Fact]
    public async Task A_loan_refused_by_one_bank_is_not_closed_by_another()
    {
        var (_, caseId) = await Api.FamilyWithLoanIntent();
        await Api.Move(caseId, "eligibility", Requests.Eligibility(1, false, reason: "征信记录不良"), Keys.BankB);

        await Api.Move(caseId, "closure", Requests.Closure(2), Keys.BankA, 403);
        await Api.Move(caseId, "closure", Requests.Closure(2), Keys.BankB);
    }

    [Fact]
    public async Task The_bank_that_recorded_an_event_is_in_its_provenance()
    {
        var (_, caseId) = await Api.FamilyWithLoanIntent();
        await Api.Move(caseId, "eligibility", Requests.Eligibility(1, true), Keys.BankA);

        await using var session = Store.QuerySession();
        var decided = (await session.Events.FetchStreamAsync(caseId))[^1];
        Assert.Equal("bank-a", decided.Headers!["organisation"]!.ToString());
        Assert.Equal("Bank", decided.Headers!["department"]!.ToString());
        Assert.Equal("bank-a", ((Relief.Api.ExtendedPolicies.LoanFoundEligible)decided.Data).Organisation);
    }
}
