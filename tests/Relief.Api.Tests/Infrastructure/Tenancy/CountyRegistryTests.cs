using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// Counties as data: a county added through the admin route (Marten's master table) is served by
/// the running host from the next request, in a database of its own; a retired county keeps its
/// records and refuses writes; bad input changes nothing; only <c>counties:admin</c> may do any of it.
/// </summary>
[Collection(CountyRegistryCollection.Name)]
public sealed class CountyRegistryTests(CountyRegistryFixture fixture)
{
    private const string Province = "dev-province";

    [Fact]
    public async Task A_county_added_through_the_admin_route_is_served_by_the_running_host()
    {
        const string code = "410825";
        var key = CountyRegistryFixture.KeyOf(code);
        using (var before = await Send(HttpMethod.Post, "/api/households", Support.Requests.Household("wenquan"), key))
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);

        using var added = await Send(HttpMethod.Post, "/api/counties", AddBody(code), Province);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal($"/api/counties/{code}", added.Headers.Location?.ToString());
        var county = (await Json(added)).GetProperty("county");
        Assert.Equal("温县", county.GetProperty("name").GetString());
        Assert.EndsWith("/" + CountyRegistryFixture.DatabaseNameOf(code), county.GetProperty("database").GetString());
        Assert.Equal("wenquan", county.GetProperty("townships")[0].GetProperty("code").GetString());

        // No restart: the next request with the county's key writes and reads in its database.
        var api = new Support.Api(fixture.Host);
        var household = await api.RegisteredHousehold(Support.Requests.Household("wenquan"), key);
        var read = await api.Household(household, key);
        Assert.Equal(household, read.GetProperty("id").GetGuid());
        Assert.True(await TestDatabases.Scalar<long>(CountyRegistryFixture.ConnectionOf(code),
            "select count(*) from relief.mt_events") > 0);
        Assert.False(await TestDatabases.Scalar<bool>(CountyRegistryFixture.MainConnection,
            "select exists (select 1 from information_schema.tables where table_schema = 'relief' and table_name = 'mt_events')"));

        using var listed = await Send(HttpMethod.Get, "/api/counties", null, Province);
        var list = await Json(listed);
        Assert.Equal("registry", list.GetProperty("source").GetString());
        Assert.Contains(list.GetProperty("counties").EnumerateArray(), c => c.GetProperty("code").GetString() == code);
    }

    [Fact]
    public async Task A_retired_county_refuses_writes_with_a_409_and_keeps_its_records_readable()
    {
        const string code = "410883";
        var key = CountyRegistryFixture.KeyOf(code);
        using (var added = await Send(HttpMethod.Post, "/api/counties", AddBody(code), Province))
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var api = new Support.Api(fixture.Host);
        var household = await api.RegisteredHousehold(Support.Requests.Household("wenquan"), key);
        const string households = "select count(*) from relief.mt_streams where type = 'household'";
        var before = await TestDatabases.Scalar<long>(CountyRegistryFixture.ConnectionOf(code), households);

        using var retired = await Send(HttpMethod.Post, $"/api/counties/{code}/retirement", new JsonObject { ["reason"] = "Merged." }, Province);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.Equal("Merged.", (await Json(retired)).GetProperty("retiredBecause").GetString());

        using var write = await Send(HttpMethod.Post, "/api/households", Support.Requests.Household("wenquan"), key);
        Assert.Equal(HttpStatusCode.Conflict, write.StatusCode);
        Assert.Equal("urn:relief:problem:county-retired", (await Json(write)).GetProperty("type").GetString());
        Assert.Equal(household, (await api.Household(household, key)).GetProperty("id").GetGuid());
        Assert.Equal(before, await TestDatabases.Scalar<long>(CountyRegistryFixture.ConnectionOf(code), households));

        using var again = await Send(HttpMethod.Post, $"/api/counties/{code}/retirement", new JsonObject { ["reason"] = "Twice." }, Province);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_county_added_with_townships_of_its_own_is_served_with_those_townships_and_no_others()
    {
        const string code = "410821";
        var body = AddBody(code);
        body["name"] = "修武县";
        body["townships"] = new JsonArray(new JsonObject { ["code"] = "zhoucun", ["name"] = "周庄镇" });
        using (var added = await Send(HttpMethod.Post, "/api/counties", body, Province))
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var office = CountyRegistryFixture.KeyOf(code);
        var api = new Support.Api(fixture.Host);

        // Its own township, by code or by its Chinese name, is the county's.
        var household = await api.RegisteredHousehold(Support.Requests.Household("周庄镇"), office);
        Assert.Equal("zhoucun", (await api.Household(household, office)).GetProperty("township").GetString());

        // A township of Relief:Townships that is not the county's is unknown there, and nothing is written.
        const string streams = "select count(*) from relief.mt_streams";
        var before = await TestDatabases.Scalar<long>(CountyRegistryFixture.ConnectionOf(code), streams);
        using (var elsewhere = await Send(HttpMethod.Post, "/api/households", Support.Requests.Household("mucheng"), office))
        {
            Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
            Assert.True((await Json(elsewhere)).GetProperty("errors").TryGetProperty("township", out _));
        }

        Assert.Equal(before, await TestDatabases.Scalar<long>(CountyRegistryFixture.ConnectionOf(code), streams));

        // A township key of the county's own township works; one bound to a township it does not have is refused.
        var zhoucun = CountyRegistryFixture.TownshipKeyOf(code, "zhoucun");
        Assert.Equal(household, (await api.Household(household, zhoucun)).GetProperty("id").GetGuid());
        using var stranger = await Send(HttpMethod.Get, "/api/households", null, CountyRegistryFixture.TownshipKeyOf(code, "mucheng"));
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Equal("This credential's township is not one of its county's.", (await Json(stranger)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_county_with_a_key_ring_of_its_own_seals_its_people_under_its_own_master_key_and_index_key()
    {
        const string code = CountyRegistryFixture.OwnRingCounty;
        var body = AddBody(code);
        body["name"] = "解放区";
        body.Remove("townships");
        using (var added = await Send(HttpMethod.Post, "/api/counties", body, Province))
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var office = CountyRegistryFixture.KeyOf(code);
        var api = new Support.Api(fixture.Host);
        var residentId = Support.Requests.ResidentId(new DateOnly(1950, 3, 4), 777);
        var household = await api.RegisteredHousehold(Support.Requests.Household("mucheng", Support.Requests.Member("李四", birthDate: new DateOnly(1950, 3, 4), residentId: residentId)), office);

        // The county's own ring opens what it sealed: the member reads in full with pii:read.
        var member = (await api.Household(household, office)).GetProperty("members")[0];
        Assert.Equal("李四", member.GetProperty("name").GetString());
        Assert.Equal(residentId, member.GetProperty("residentId").GetString());

        // Its data keys are wrapped by its own master key, and its blind index is keyed by its own index key.
        var connection = CountyRegistryFixture.ConnectionOf(code);
        Assert.Equal(CountyRegistryFixture.OwnMasterKeyId, await TestDatabases.Scalar<string>(connection,
            $"select distinct data -> 'wrapped' ->> 'masterKeyId' from relief.mt_doc_householddatakey where id = '{household}'"));
        var shared = fixture.Host.Services.GetRequiredService<PersonalDataKeyRings>().Shared;
        var stored = await TestDatabases.Scalar<string>(connection, "select data ->> 'residentIdIndex' from relief.mt_doc_activeresident limit 1");
        Assert.NotEqual(shared.BlindIndex(BlindIndexKinds.ResidentId, residentId), stored);
        Assert.Equal(fixture.Host.Services.GetRequiredService<PersonalDataKeyRings>().For(code).BlindIndex(BlindIndexKinds.ResidentId, residentId), stored);
    }

    public static TheoryData<string, string> BadAdditions() => new()
    {
        { "a five-digit code", """{"code":"41082","name":"温县"}""" },
        { "no name", """{"code":"410882"}""" },
        { "a database name with SQL", """{"code":"410882","name":"沁阳市","database":"x\"; drop database relief; --"}""" },
        { "a database and a connection string", """{"code":"410882","name":"沁阳市","database":"a","connectionString":"Host=h;Database=d"}""" },
        { "a connection string without a database", """{"code":"410882","name":"沁阳市","connectionString":"Host=127.0.0.1"}""" },
        { "a township named twice", """{"code":"410882","name":"沁阳市","townships":[{"code":"a","name":"甲"},{"code":"a","name":"乙"}]}""" },
        { "a township code with spaces", """{"code":"410882","name":"沁阳市","townships":[{"code":"a b","name":"甲"}]}""" },
        { "a database that does not exist", """{"code":"410882","name":"沁阳市","database":"relief_no_such_database"}""" },
        { "the registry's own database", $$"""{"code":"410882","name":"沁阳市","database":"{{RegistryDatabase}}"}""" },
    };

    private static string RegistryDatabase => new Npgsql.NpgsqlConnectionStringBuilder(CountyRegistryFixture.MainConnection).Database!;

    [Theory]
    [MemberData(nameof(BadAdditions))]
    public async Task A_bad_addition_is_a_4xx_problem_and_adds_nothing(string name, string body)
    {
        using var response = await Send(HttpMethod.Post, "/api/counties", JsonNode.Parse(body), Province);
        Assert.True((int)response.StatusCode is 400 or 409, $"{name}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0L, await TestDatabases.Scalar<long>(CountyRegistryFixture.MainConnection,
            "select count(*) from relief.mt_tenant_databases where tenant_id in ('41082', '410882')"));
    }

    [Fact]
    public async Task A_county_added_twice_or_an_unknown_county_retired_is_refused()
    {
        using (var added = await Send(HttpMethod.Post, "/api/counties", AddBody("410825"), Province))
            Assert.True(added.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        using var twice = await Send(HttpMethod.Post, "/api/counties", AddBody("410825"), Province);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using var unknown = await Send(HttpMethod.Post, "/api/counties/410899/retirement", new JsonObject { ["reason"] = "x" }, Province);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noReason = await Send(HttpMethod.Post, "/api/counties/410825/retirement", new JsonObject(), Province);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/counties")]
    [InlineData("GET", "/api/counties/410825")]
    [InlineData("POST", "/api/counties")]
    [InlineData("POST", "/api/counties/410825/retirement")]
    public async Task Only_the_counties_admin_scope_may_use_the_registry(string method, string url)
    {
        JsonNode? body = method == "POST" ? (url.EndsWith("retirement", StringComparison.Ordinal) ? new JsonObject { ["reason"] = "x" } : AddBody("410882")) : null;
        foreach (var key in new[] { "dev-poverty-office", CountyRegistryFixture.KeyOf("410825"), "dev-auditor" })
        {
            using var refused = await Send(new HttpMethod(method), url, body, key);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var anonymous = await Send(new HttpMethod(method), url, body, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0L, await TestDatabases.Scalar<long>(CountyRegistryFixture.MainConnection,
            "select count(*) from relief.mt_tenant_databases where tenant_id = '410882'"));
    }

    private static JsonObject AddBody(string code) => new()
    {
        ["code"] = code,
        ["name"] = code == "410825" ? "温县" : "孟州市",
        ["database"] = CountyRegistryFixture.DatabaseNameOf(code),
        ["townships"] = new JsonArray(new JsonObject { ["code"] = "wenquan", ["name"] = "温泉街道" }),
    };

    private async Task<HttpResponseMessage> Send(HttpMethod method, string url, JsonNode? body, string? key)
    {
        using var client = fixture.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
