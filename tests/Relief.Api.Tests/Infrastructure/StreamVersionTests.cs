using System.Reflection;
using System.Text.Json.Nodes;
using Marten;
using Relief.Api.Infrastructure.Http;
using Wolverine.Http;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// A version in a write's response is the version the stream is at once the write is committed,
/// read from the stream (<see cref="StreamVersionPolicy"/>), never counted by the endpoint: here it
/// is compared with the stream's version read back through Marten, for writes of one event and of several.
/// </summary>
public sealed class StreamVersionTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<long> StreamVersion(Guid id)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(id))!.Version;
    }

    private static JsonObject Household(int members) =>
        Requests.Household("mucheng", Enumerable.Range(0, members)
            .Select(i => Requests.Member(i == 0 ? "张三" : $"张{i}", i == 0 ? Relation.Head : Relation.Child,
                new DateOnly(1950 + i * 20, 3, 15)))
            .ToArray());

    /// <summary>A write to an existing stream: the monitoring status appends one event, the closure two (the closure and the archive).</summary>
    [Theory]
    [InlineData("monitoring", 1)]
    [InlineData("closure", 2)]
    public async Task An_answered_version_is_the_streams_version_after_one_or_several_events(string write, int appended)
    {
        var id = await Api.RegisteredHousehold();
        var before = await StreamVersion(id);

        var answer = write == "monitoring"
            ? await Api.Send(HttpMethod.Put, $"/api/households/{id}/monitoring",
                new JsonObject { ["version"] = before, ["status"] = "Monitored", ["since"] = "2020-09-01" })
            : await Api.Send(HttpMethod.Post, $"/api/households/{id}/closure",
                new JsonObject { ["version"] = before, ["reason"] = "MovedAway", ["closedOn"] = "2020-09-01" });

        var after = await StreamVersion(id);
        Assert.Equal(before + appended, after);
        Assert.Equal(after, answer.GetProperty("version").GetInt32());
    }

    /// <summary>A registration starts a stream of one event and one more per member.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_created_stream_answers_the_version_it_was_started_at(int members)
    {
        var created = await Api.Send(HttpMethod.Post, "/api/households", Household(members), expectedStatus: 201);

        var version = await StreamVersion(created.GetProperty("id").GetGuid());
        Assert.Equal(members + 1, version);
        Assert.Equal(version, created.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Each_record_of_a_batch_answers_its_own_streams_version()
    {
        var body = new JsonObject { ["households"] = new JsonArray(Household(1), Household(2), Household(3)) };

        var answer = await Api.Send(HttpMethod.Post, "/api/households/batch", body);

        var records = answer.GetProperty("households").EnumerateArray().ToList();
        Assert.Equal(3, records.Count);
        foreach (var record in records)
        {
            Assert.Equal(await StreamVersion(record.GetProperty("id").GetGuid()), record.GetProperty("version").GetInt32());
        }

        Assert.Equal([2, 3, 4], records.Select(r => r.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task A_transfer_answers_the_versions_of_both_centres_streams()
    {
        var from = await Api.CentreWithBeds(2, "木城医养中心");
        var to = await Api.CentreWithBeds(3, "三阳医养中心", "sanyang");
        // The centre moved to is a version ahead of the one moved from, so neither can pass for the other.
        await Api.Admitted(to, await Api.EligiblePerson(sequence: 2));
        await Api.Admitted(to, await Api.EligiblePerson(sequence: 3));
        var stayId = await Api.Admitted(from, await Api.EligiblePerson());

        var answer = await Api.Send(HttpMethod.Post, $"/api/care-centres/{from}/residents/{stayId}/transfer",
            new JsonObject { ["toCentreId"] = to, ["on"] = "2020-09-30" }, CentreKeys.CivilAffairs);

        Assert.Equal(await StreamVersion(from), answer.GetProperty("fromVersion").GetInt32());
        Assert.Equal(await StreamVersion(to), answer.GetProperty("toVersion").GetInt32());
        Assert.NotEqual(answer.GetProperty("fromVersion").GetInt32(), answer.GetProperty("toVersion").GetInt32());
    }

    [Fact]
    public async Task A_void_answers_the_version_of_the_stream_it_was_appended_to()
    {
        var id = await Api.RegisteredHousehold(Household(2));
        var added = (await Api.Audit($"/api/households/{id}/history?type=HouseholdMemberAdded"))
            .GetProperty("items")[0].GetProperty("sequence").GetInt64();

        var answer = await Api.Send(HttpMethod.Post, "/api/audit/corrections", new JsonObject { ["sequence"] = added, ["reason"] = "录错" });

        Assert.Equal(id, answer.GetProperty("streamId").GetGuid());
        Assert.Equal(await StreamVersion(id), answer.GetProperty("version").GetInt32());
    }

    /// <summary>
    /// A write whose response carries a version (<c>version</c>, <c>fromVersion</c> …) lets the policy
    /// fill it in: an endpoint that counts it itself would not be caught by the tests above.
    /// </summary>
    [Fact]
    public void Every_write_response_with_a_version_is_filled_in_from_the_stream()
    {
        var responses = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetCustomAttributes<WolverineHttpMethodAttribute>().Any(a => a is not WolverineGetAttribute))
            .Select(m => (Endpoint: $"{m.DeclaringType!.Name}.{m.Name}", Type: ResponseOf(m.ReturnType)))
            .Where(r => r.Type is not null && Versioned(r.Type))
            .ToList();

        Assert.True(responses.Count >= 50, $"found only {responses.Count} write endpoints answering a version");
        Assert.All(responses, r => Assert.True(
            r.Type!.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStreamVersioned<>)),
            $"{r.Endpoint} answers {r.Type.Name}, whose version is not filled in from the stream (IStreamVersioned)"));
    }

    private static Type? ResponseOf(Type returned)
    {
        if (returned.IsGenericType && returned.GetGenericTypeDefinition() == typeof(Task<>)) returned = returned.GetGenericArguments()[0];
        if (returned.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true) returned = returned.GetGenericArguments()[0];
        return returned == typeof(void) || returned == typeof(Task) ? null : returned;
    }

    /// <summary>A response with a version of its own, or in the records it lists.</summary>
    private static bool Versioned(Type type) =>
        type.GetProperties().Any(p => p.Name.EndsWith("Version", StringComparison.Ordinal) && p.PropertyType == typeof(int)
                                      || p.PropertyType.IsGenericType && p.PropertyType.GetGenericArguments().Any(
                                          a => a.Namespace?.StartsWith("Relief", StringComparison.Ordinal) == true && Versioned(a)));

    [Fact]
    public void A_response_naming_a_stream_the_request_did_not_write_to_fails_loudly()
    {
        using var session = Store.LightweightSession();
        var streams = new StreamVersions(session);

        Assert.Throws<InvalidOperationException>(() => streams.Of(Guid.NewGuid()));
    }
}
