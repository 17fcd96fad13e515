using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Npgsql;

namespace Relief.Api.Tests.Infrastructure.BadInput;

/// <summary>
/// The bad-input sweep: every malformed request of <see cref="MalformedRequests"/> against every
/// write route the app maps (read from its endpoint data source, so a new route is swept without
/// being listed), each aimed at a real household, centre, stay, agreement, family, case, class,
/// enrolment and inspection. Every answer is a 4xx problem, never a 5xx, and no event is written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputSweepTests(AppFixture fixture) : IAsyncLifetime
{
    private static World? _world;

    public static TheoryData<string> Cases() => new(MalformedRequests.All.Select(m => m.Name));

    // The world is built once and shared by the cases: every case asserts that nothing was written,
    // so the world it leaves is the world it found. It is rebuilt when another test reset the data.
    public async Task InitializeAsync()
    {
        if (_world is null || await EventCount() != _world.Events) _world = await BuildWorld();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_sweep_has_at_least_60_kinds_of_malformed_request_and_finds_the_write_routes()
    {
        Assert.True(MalformedRequests.All.Count >= 60, $"only {MalformedRequests.All.Count} kinds");
        var routes = WriteRoute.Of(fixture.Host.Services);
        Assert.Contains(routes, r => r is { Method: "POST", Template: "/api/households" });
        Assert.Contains(routes, r => r is { Method: "PUT", Template: "/api/households/{householdId}" });
        Assert.True(routes.Count >= 50, $"only {routes.Count} write routes found");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_request_is_a_4xx_problem_on_every_write_route_and_writes_nothing(string name)
    {
        var malformed = MalformedRequests.Named(name);
        var world = _world!;
        var failures = new List<string>();
        var sent = 0;

        foreach (var route in WriteRoute.Of(fixture.Host.Services))
        {
            var request = malformed.Make(await Target(route, world));
            if (request is null) continue;
            sent++;

            using var response = await Send(route.Method, request);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status is < 400 or >= 500 || mediaType != "application/problem+json")
            {
                var text = await response.Content.ReadAsStringAsync();
                failures.Add($"{route} → {status} {mediaType}: {text[..Math.Min(text.Length, 300)]}");
            }
        }

        Assert.True(sent > 0, $"'{name}' applied to no route");
        Assert.True(failures.Count == 0, $"'{name}':{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        Assert.Equal(world.Events, await EventCount());
    }

    private async Task<HttpResponseMessage> Send(string method, SweepRequest sweep)
    {
        using var client = fixture.Host.Server.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), sweep.Path);
        if (sweep.Body is not null)
        {
            request.Content = new ByteArrayContent(sweep.Body);
            if (sweep.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(sweep.ContentType);
        }

        if (sweep.Key is not null) request.Headers.Add("X-Api-Key", sweep.Key);
        foreach (var (header, value) in sweep.Headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The route aimed at the world: its ids in the path, and a body whose versions are the streams' current ones.</summary>
    private static async Task<SweepTarget> Target(WriteRoute route, World world)
    {
        var values = world.RouteValues(route.Template);
        var version = route.Parameters.Count > 0 && Guid.TryParse(values.GetValueOrDefault(route.Parameters[0]), out var streamId)
            ? await StreamVersion(streamId)
            : 1;
        var familyMember = route.Template.Contains("training", StringComparison.Ordinal)
                           || route.Template.Contains("job-placements", StringComparison.Ordinal);
        var builder = new BodyBuilder(leaf => leaf switch
        {
            { Name: "version" } => version,
            { Kind: LeafKind.Id, Name: "householdId" } => world.Household.ToString(),
            { Kind: LeafKind.Id, Name: "caregiverFamilyId" } => world.Family.ToString(),
            { Kind: LeafKind.Id, Name: "memberId" } => (familyMember ? world.FamilyMember : world.Member).ToString(),
            { Kind: LeafKind.Id, Name: "centreStayId" } => world.Stay.ToString(),
            { Kind: LeafKind.Id, Name: "familiesHonoured" } => world.Family.ToString(),
            _ => null,
        });
        return new SweepTarget(route, values, builder);
    }

    private static async Task<long> EventCount()
    {
        await using var connection = new NpgsqlConnection(AppFixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from relief.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> StreamVersion(Guid id)
    {
        await using var connection = new NpgsqlConnection(AppFixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select version from relief.mt_streams where id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync() is long version ? (int)version : 1;
    }

    private async Task<World> BuildWorld()
    {
        await fixture.ResetAsync();
        var world = await World.BuildAsync(new Support.Api(fixture.Host));
        return world with { Events = await EventCount() };
    }
}
