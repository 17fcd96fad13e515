using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Marten.Events;
using Wolverine.Tracking;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Tests.Infrastructure.BadInput;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// One Relief, two counties, a database each: the same kinds of data (same townships, same
/// resident IDs) in Wuzhi (A) and Boai (B), then every GET route the app maps and every write route
/// (read from its endpoint data source, so a route added later is covered without being listed),
/// called by Wuzhi's keys and aimed at Boai's ids. Wuzhi never sees a Boai id, never reads one by
/// id, and never writes through one; nothing is appended to either database.
/// </summary>
[Collection(CountiesCollection.Name)]
public sealed partial class CountyIsolationTests(CountiesFixture fixture) : IAsyncLifetime
{
    private static Worlds? _worlds;

    private const string A = CountiesFixture.A;
    private const string B = CountiesFixture.B;

    // Both worlds are built once and shared: every test here asserts that it wrote nothing.
    public async Task InitializeAsync()
    {
        if (_worlds is null || await CountiesFixture.EventCount(A) != _worlds.A.Events
                            || await CountiesFixture.EventCount(B) != _worlds.B.Events)
        {
            _worlds = await BuildWorlds();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_GET_route_shows_Wuzhi_none_of_Boai_s_data_and_a_Boai_id_is_not_found()
    {
        var worlds = _worlds!;
        var routes = GetRoutes();
        Assert.True(routes.Count >= 40, $"only {routes.Count} GET routes found");
        var failures = new List<string>();
        var seenByB = 0;

        var notFoundByB = new List<string>();
        foreach (var template in routes)
        {
            var aimedAtB = Fill(template, worlds.B) + (template.EndsWith("/cost", StringComparison.Ordinal) ? "?month=2020-09" : "");
            using var asA = await Get(aimedAtB, Keys.PovertyOffice);
            var text = await Text(asA);
            // A 404 names the path it was asked for (its instance): that is the caller's own id, not Boai's data.
            var leaked = worlds.BIds.Where(id => text.Contains(id, StringComparison.OrdinalIgnoreCase)
                                                 && !aimedAtB.Contains(id, StringComparison.OrdinalIgnoreCase)).ToList();
            if (leaked.Count > 0) failures.Add($"{template}: Wuzhi's answer ({(int)asA.StatusCode}) holds Boai's {string.Join(", ", leaked.Take(3))}");

            var namesAnId = ParametersOf(template).Any(p => IdParameters.Contains(p));
            if (!namesAnId) continue;

            if (asA.StatusCode != HttpStatusCode.NotFound) failures.Add($"{template}: a Boai id read from Wuzhi is {(int)asA.StatusCode}, not 404");

            // The control: the same request from Boai finds it, so the id was real.
            fixture.ActAs = B;
            using var asB = await Get(aimedAtB, Keys.PovertyOffice);
            fixture.ActAs = A;
            if (asB.IsSuccessStatusCode) seenByB++;
            else notFoundByB.Add($"{template} ({(int)asB.StatusCode})");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        // Routes whose ids the worlds do not hold (a meeting, a placement) aim at nothing: they still must be 404.
        Assert.True(seenByB >= 20, $"only {seenByB} by-id routes found Boai's data from Boai; not: {string.Join(", ", notFoundByB)}");
    }

    [Fact]
    public async Task Lists_reports_ledgers_and_exports_hold_each_county_s_own_data_only()
    {
        var worlds = _worlds!;
        foreach (var (county, own, other) in new[] { (A, worlds.A, worlds.B), (B, worlds.B, worlds.A) })
        {
            fixture.ActAs = county;
            try
            {
                var households = await Text(await Get("/api/households", Keys.PovertyOffice));
                Assert.Contains(own.Household.ToString(), households);
                Assert.DoesNotContain(other.Household.ToString(), households);

                var export = await Text(await Get("/api/audit/export", Keys.Auditor));
                Assert.Contains(own.Household.ToString(), export);
                Assert.DoesNotContain(other.Household.ToString(), export);

                var ledger = await Text(await Get($"/api/households/{own.Household}/ledger", Keys.PovertyOffice));
                Assert.Contains(own.Household.ToString(), ledger);

                var report = await Get("/api/reports/weekly-dispatch/latest", Keys.Reports);
                Assert.Equal(HttpStatusCode.OK, report.StatusCode);
                var reportText = await Text(report);
                Assert.DoesNotContain(other.Household.ToString(), reportText);
            }
            finally
            {
                fixture.ActAs = A;
            }
        }
    }

    [Fact]
    public async Task Each_county_s_audit_chain_covers_its_own_events_only()
    {
        var worlds = _worlds!;
        foreach (var (county, world) in new[] { (A, worlds.A), (B, worlds.B) })
        {
            fixture.ActAs = county;
            try
            {
                // Full: the sweep of every GET route may have verified before, and a verification resumes from there.
                var verified = JsonDocument.Parse(await Text(await Get("/api/audit/verify?full=true", Keys.Auditor))).RootElement;
                Assert.True(verified.GetProperty("valid").GetBoolean());
                Assert.Equal(world.Events, verified.GetProperty("checked").GetInt64());
            }
            finally
            {
                fixture.ActAs = A;
            }
        }

        // Each database numbers its own events from 1: the chains are separate, not one chain split.
        Assert.Equal(1L, await CountiesFixture.Scalar<long>(A, "select min(seq_id) from relief.audit_chain"));
        Assert.Equal(1L, await CountiesFixture.Scalar<long>(B, "select min(seq_id) from relief.audit_chain"));
    }

    [Fact]
    public async Task A_deadline_check_a_request_schedules_is_stored_in_its_county_s_database_only()
    {
        var worlds = _worlds!;
        const string checks = "select count(*) from relief.wolverine_incoming_envelopes " +
                              "where message_type like '%CheckCaseDeadline%' and position(convert_to($1, 'UTF8') in body) > 0";
        foreach (var (county, own, other) in new[] { (A, worlds.A, worlds.B), (B, worlds.B, worlds.A) })
        {
            Assert.Equal(1L, await CountiesFixture.Scalar<long>(county, checks, own.Case.ToString()));
            Assert.Equal(0L, await CountiesFixture.Scalar<long>(county, checks, other.Case.ToString()));
        }

        await using var main = Npgsql.NpgsqlDataSource.Create(CountiesFixture.MainConnection);
        await using var command = main.CreateCommand("select count(*) from relief.wolverine_incoming_envelopes");
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Every_write_route_aimed_at_a_Boai_id_from_Wuzhi_is_refused_and_appends_nothing()
    {
        var worlds = _worlds!;
        var failures = new List<string>();
        var sent = 0;

        foreach (var route in WriteRoute.Of(fixture.Host.Services))
        {
            var values = worlds.B.RouteValues(route.Template);
            var path = Fill(route.Template, values);
            var version = route.Parameters.Count > 0 && Guid.TryParse(values.GetValueOrDefault(route.Parameters[0]), out var streamId)
                ? await StreamVersion(B, streamId)
                : 1;
            var familyMember = route.Template.Contains("training", StringComparison.Ordinal)
                               || route.Template.Contains("job-placements", StringComparison.Ordinal);
            var namesB = route.Parameters.Any(IdParameters.Contains);
            var builder = new BodyBuilder(leaf =>
            {
                System.Text.Json.Nodes.JsonNode? value = leaf switch
                {
                    { Name: "version" } => version,
                    { Kind: LeafKind.Id, Name: "householdId" } => worlds.B.Household.ToString(),
                    { Kind: LeafKind.Id, Name: "caregiverFamilyId" } => worlds.B.Family.ToString(),
                    { Kind: LeafKind.Id, Name: "memberId" } => (familyMember ? worlds.B.FamilyMember : worlds.B.Member).ToString(),
                    { Kind: LeafKind.Id, Name: "centreStayId" } => worlds.B.Stay.ToString(),
                    { Kind: LeafKind.Id, Name: "familiesHonoured" } => worlds.B.Family.ToString(),
                    _ => null,
                };
                if (value is not null && leaf.Name != "version") namesB = true;
                return value;
            });
            var body = route.RequestType is null ? null : builder.Build(route.RequestType, null, out _)?.ToJsonString();
            if (!namesB) continue;
            sent++;

            using var response = await Send(route.Method, path, body, Keys.PovertyOffice);
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500)
            {
                var text = await Text(response);
                failures.Add($"{route.Method} {route.Template} → {status}: {text[..Math.Min(text.Length, 200)]}");
            }
        }

        Assert.True(sent >= 40, $"only {sent} write routes named a Boai id");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(worlds.A.Events, await CountiesFixture.EventCount(A));
        Assert.Equal(worlds.B.Events, await CountiesFixture.EventCount(B));
    }

    [Fact]
    public async Task A_Wuzhi_key_with_a_header_or_query_naming_Boai_still_lands_in_Wuzhi()
    {
        var forged = new Dictionary<string, string>
        {
            ["X-County"] = B, ["X-Tenant"] = B, ["tenant"] = B, ["county"] = B, ["X-Tenant-Id"] = B,
        };
        using var response = await Send("POST", $"/api/households?county={B}&tenant={B}",
            Requests.Household().ToJsonString(), Keys.PovertyOffice, forged);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await Text(response)).RootElement.GetProperty("id").GetGuid();

        Assert.Equal(1L, await CountiesFixture.Scalar<long>(A, "select count(*) from relief.mt_streams where id = $1", id));
        Assert.Equal(0L, await CountiesFixture.Scalar<long>(B, "select count(*) from relief.mt_streams where id = $1", id));
        Assert.Equal(_worlds!.B.Events, await CountiesFixture.EventCount(B));
        await fixture.ResetAsync(); // the next test rebuilds the worlds
    }

    [Fact]
    public async Task A_token_s_county_claim_chooses_the_county_and_an_unknown_or_missing_one_is_403()
    {
        var worlds = _worlds!;
        string Token(string? county) => Tokens.Issue("province-app", "PovertyAlleviationOffice", "admin", county: county);

        using (var asB = await Get($"/api/households/{worlds.B.Household}", token: Token(B)))
        {
            Assert.Equal(HttpStatusCode.OK, asB.StatusCode);
        }

        using (var asA = await Get($"/api/households/{worlds.B.Household}", token: Token(A)))
        {
            Assert.Equal(HttpStatusCode.NotFound, asA.StatusCode);
        }

        foreach (var county in new[] { "410899", null })
        {
            using var refused = await Get("/api/households", token: Token(county));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_same_idempotency_key_in_two_counties_is_two_requests()
    {
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "same-key-in-both" };
        var body = Requests.Household().ToJsonString();
        using var first = await Send("POST", "/api/households", body, Keys.PovertyOffice, headers);
        fixture.ActAs = B;
        using var second = await Send("POST", "/api/households", body, CountiesFixture.TwinOf(Keys.PovertyOffice), headers);
        fixture.ActAs = A;

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(JsonDocument.Parse(await Text(first)).RootElement.GetProperty("id").GetGuid(),
            JsonDocument.Parse(await Text(second)).RootElement.GetProperty("id").GetGuid());
        await fixture.ResetAsync();
    }

    [Fact]
    public async Task A_county_s_webhooks_carry_its_own_events_only_and_are_sent_from_its_database()
    {
        var (wuzhi, boai) = (fixture.Receivers.First, fixture.Receivers.Second);
        var api = new Support.Api(fixture.Host);
        await api.WebhookSubscription(wuzhi.Url, Keys.PovertyOffice, "HouseholdRegistered");
        fixture.ActAs = B;
        var boaiSubscription = await api.WebhookSubscription(boai.Url, Keys.PovertyOffice, "HouseholdRegistered");
        try
        {
            Guid household = default;
            await fixture.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).DoNotAssertOnExceptionsDetected()
                .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
                {
                    household = await api.RegisteredHousehold();
                    await boai.WaitForCount(1);
                }));

            var delivery = Assert.Single(boai.Received).Json;
            Assert.Equal(household, delivery.GetProperty("streamId").GetGuid());
            Assert.Equal(boaiSubscription, delivery.GetProperty("subscriptionId").GetGuid());
            Assert.Equal("Delivered", await CountiesFixture.Scalar<string>(B,
                "select data ->> 'status' from relief.mt_doc_webhookdelivery where id = $1",
                Guid.Parse(delivery.GetProperty("deliveryId").GetString()!)));
            Assert.Empty(wuzhi.Received);
            Assert.Equal(0L, await CountiesFixture.Scalar<long>(A, "select count(*) from relief.mt_doc_webhookdelivery"));
        }
        finally
        {
            fixture.ActAs = A;
            await fixture.ResetAsync();
        }
    }

    // ---- the worlds ----

    private static readonly HashSet<string> IdParameters =
    [
        "householdId", "memberId", "centreId", "stayId", "agreementId", "familyId", "caseId", "classId", "enrolmentId",
        "inspectionId", "subscriptionId", "evaluationId", "meetingId", "placementId",
    ];

    private async Task<Worlds> BuildWorlds()
    {
        await fixture.ResetAsync();
        var a = await BuildWorld(A);
        var b = await BuildWorld(B);
        fixture.ActAs = A;

        // The async daemon (weekly dispatch, audit chain, webhook fan-out) catches up in both databases.
        var daemon = fixture.Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
        foreach (var county in new[] { A, B })
        {
            var perCounty = await daemon.DaemonForDatabase(county);
            if (!perCounty.IsRunning) await perCounty.StartAllAsync();
        }

        await fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var bIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in b.Ids) bIds.Add(id.ToString());
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(CountiesFixture.ConnectionOf(B)))
        await using (var command = dataSource.CreateCommand("select id from relief.mt_streams"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) bIds.Add(reader.GetGuid(0).ToString());
        }

        return new Worlds(a with { Events = await CountiesFixture.EventCount(A) }, b with { Events = await CountiesFixture.EventCount(B) }, bIds);
    }

    private async Task<World> BuildWorld(string county)
    {
        fixture.ActAs = county;
        return await World.BuildAsync(new Support.Api(fixture.Host));
    }

    private sealed record Worlds(World A, World B, IReadOnlySet<string> BIds);

    // ---- HTTP ----

    private List<string> GetRoutes() =>
        fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true
                        && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => e.RoutePattern.RawText!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> ParametersOf(string template) =>
        RouteParameter().Matches(template).Select(m => m.Groups[1].Value);

    private static string Fill(string template, World world) => Fill(template, world.RouteValues(template));

    private static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        RouteParameter().Replace(template, m => values.GetValueOrDefault(m.Groups[1].Value) ?? Guid.NewGuid().ToString());

    [GeneratedRegex("{([^}:?]+)[^}]*}")]
    private static partial Regex RouteParameter();

    private Task<HttpResponseMessage> Get(string path, string? key = null, string? token = null) =>
        Send("GET", path, null, key, token: token);

    /// <summary>A raw request (a development key becomes Boai's twin while the fixture acts as Boai).</summary>
    private async Task<HttpResponseMessage> Send(string method, string path, string? body, string? key,
        IDictionary<string, string>? headers = null, string? token = null)
    {
        using var client = fixture.Host.Server.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        }

        if (key is not null) request.Headers.Add("X-Api-Key", key);

        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        return await client.SendAsync(request);
    }

    private static async Task<string> Text(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    private static async Task<int> StreamVersion(string county, Guid id)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(CountiesFixture.ConnectionOf(county));
        await using var command = dataSource.CreateCommand("select version from relief.mt_streams where id = $1");
        command.Parameters.AddWithValue(id);
        return await command.ExecuteScalarAsync() is long version ? (int)version : 1;
    }

}
