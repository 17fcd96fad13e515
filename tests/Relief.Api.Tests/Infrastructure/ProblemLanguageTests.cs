using System.Reflection;
using System.Text.RegularExpressions;
using Relief.Api.Infrastructure.Errors;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// Problem details speak Chinese to a caller that asks for it (Accept-Language: zh-CN, zh, zh-Hans,
/// weighed by q-values) and English to anyone else; machines keep their keys (type, status, field
/// names), and the data stays written in the invariant culture.
/// </summary>
public sealed partial class ProblemLanguageTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>Every problem type has its Chinese words: a new type without them fails here.</summary>
    [Fact]
    public void Every_problem_type_has_a_Chinese_title_and_detail()
    {
        var types = typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.True(types.Count >= 20, $"only {types.Count} problem types found");
        foreach (var type in types)
        {
            var text = ChineseProblemTexts.OfType(type);
            Assert.True(text is not null, $"{type} has no Chinese title");
            Assert.Matches(Han(), text.Title);
            Assert.Matches(Han(), text.Detail);
        }
    }

    /// <summary>The framework's own answers (no route, wrong method, no such format …) have theirs by status.</summary>
    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(406)]
    [InlineData(413)]
    [InlineData(415)]
    [InlineData(429)]
    [InlineData(500)]
    public void Every_framework_status_has_a_Chinese_title(int status)
    {
        Assert.True(ChineseProblemTexts.ByStatus.ContainsKey(status), $"{status} has no Chinese title");
        Assert.Matches(Han(), ChineseProblemTexts.OfStatus(status).Title);
    }

    /// <summary>
    /// Every literal title the source gives a problem names a situation of the table, so that no
    /// English title reaches a Chinese reader (the type's words are only the last resort).
    /// </summary>
    [Fact]
    public void Every_title_written_in_the_source_has_its_Chinese_situation()
    {
        // The OpenAPI setup titles the document, and the table itself holds the Chinese.
        var titles = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src", "Relief.Api"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}OpenApi{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && Path.GetFileName(file) != "ProblemLanguage.cs")
            .SelectMany(file => LiteralTitles().Matches(Regex.Replace(File.ReadAllText(file), "\\s+", " "))
                .Select(m => m.Groups["title"].Value))
            .Select(title => InterpolationHole().Replace(title, "word"))
            .Where(title => !Han().IsMatch(title)) // already Chinese (the meeting pages' own words)
            .Distinct()
            .ToList();

        Assert.True(titles.Count >= 60, $"only {titles.Count} titles found");
        var untranslated = titles.Where(t => ChineseProblemTexts.Situation(t) is null).ToList();
        Assert.True(untranslated.Count == 0, "no Chinese for: " + string.Join(" | ", untranslated));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("zh")]
    [InlineData("zh-Hans")]
    [InlineData("zh-TW")]
    [InlineData("en;q=0.5, zh-CN;q=0.9")]
    [InlineData("fr, zh-CN;q=0.8")]
    public async Task A_Chinese_caller_gets_a_Chinese_title_and_detail_and_the_same_type(string acceptLanguage)
    {
        var response = await Send(HttpMethod.Get, $"/api/households/{Guid.NewGuid()}",
            headers: new Dictionary<string, string> { ["Accept-Language"] = acceptLanguage });

        Assert.Equal(404, (int)response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:not-found", problem.GetProperty("type").GetString());
        Assert.Equal("没有这一户。", problem.GetProperty("title").GetString());
        Assert.Matches(Han(), problem.GetProperty("detail").GetString()!);
        Assert.Equal("zh-CN", response.Content.Headers.ContentLanguage.Single());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("en-GB")]
    [InlineData("fr")]
    [InlineData("zh-CN;q=0.2, en;q=0.8")]
    public async Task Anyone_else_gets_English(string? acceptLanguage)
    {
        var headers = acceptLanguage is null ? null : new Dictionary<string, string> { ["Accept-Language"] = acceptLanguage };
        var id = Guid.NewGuid();
        var response = await Send(HttpMethod.Get, $"/api/households/{id}", headers: headers);

        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:not-found", problem.GetProperty("type").GetString());
        Assert.Equal("No such household.", problem.GetProperty("title").GetString());
        Assert.Equal($"There is no household {id}.", problem.GetProperty("detail").GetString());
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
    }

    /// <summary>Field names stay the machines' keys; templated messages are Chinese, with their values kept.</summary>
    [Fact]
    public async Task A_validation_problem_is_Chinese_field_by_field_with_the_same_field_names()
    {
        var body = Requests.Household();
        body.Remove("village");
        body["address"] = new string('路', 201);
        var response = await Send(HttpMethod.Post, "/api/households", body.ToJsonString(),
            headers: new Dictionary<string, string> { ["Accept-Language"] = "zh-CN" });

        Assert.Equal(400, (int)response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:validation", problem.GetProperty("type").GetString());
        Assert.Equal("请求无效。", problem.GetProperty("title").GetString());
        Assert.Equal("请查看 errors 中各字段的错误。", problem.GetProperty("detail").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Equal("必填。", errors.GetProperty("village")[0].GetString());
        Assert.Equal("最多 200 个字符。", errors.GetProperty("address")[0].GetString());
    }

    /// <summary>The framework's answers too: an unknown route is a Chinese 404, a wrong method a Chinese 405, a missing key a Chinese 401.</summary>
    [Fact]
    public async Task The_frameworks_answers_are_Chinese_too()
    {
        var chinese = new Dictionary<string, string> { ["Accept-Language"] = "zh-CN" };

        var noKey = await Json(await Send(HttpMethod.Get, "/api/households", key: null, headers: chinese));
        Assert.Equal("需要身份认证。", noKey.GetProperty("title").GetString());
        Assert.Equal("urn:relief:problem:unauthenticated", noKey.GetProperty("type").GetString());

        var wrongMethod = await Send(HttpMethod.Delete, "/api/households", headers: chinese);
        Assert.Equal(405, (int)wrongMethod.StatusCode);
        Assert.Equal("不允许此请求方法。", (await Json(wrongMethod)).GetProperty("title").GetString());

        var notJson = await Send(HttpMethod.Post, "/api/households", "<xml/>", contentType: "application/xml", headers: chinese);
        Assert.Equal(415, (int)notJson.StatusCode);
        Assert.Equal("只接受 JSON。", (await Json(notJson)).GetProperty("title").GetString());

        var scope = await Json(await Send(HttpMethod.Post, "/api/households", Requests.Household().ToJsonString(),
            key: Keys.Reports, headers: chinese));
        Assert.Equal("调用方缺少所需的权限范围。", scope.GetProperty("title").GetString());
        Assert.Equal("此接口需要权限范围 'households:write'。", scope.GetProperty("detail").GetString());
    }

    /// <summary>A business conflict speaks Chinese in its own words, not only its type's.</summary>
    [Fact]
    public async Task A_business_conflict_names_its_situation_in_Chinese()
    {
        var body = Requests.Household(members: Requests.Member(residentId: Requests.ResidentId(new DateOnly(1950, 3, 15), 900)));
        await Api.RegisteredHousehold(body);

        var response = await Send(HttpMethod.Post, "/api/households", body.ToJsonString(),
            headers: new Dictionary<string, string> { ["Accept-Language"] = "zh-CN" });

        Assert.Equal(409, (int)response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:duplicate-resident", problem.GetProperty("type").GetString());
        Assert.Equal("该身份证号已在另一户中登记。", problem.GetProperty("title").GetString());
    }

    /// <summary>Asking for Chinese changes words, never data: numbers and dates stay invariant in JSON and CSV.</summary>
    [Fact]
    public async Task A_Chinese_caller_gets_the_same_data()
    {
        var household = await Api.RegisteredHousehold();
        await Api.ProjectionsCaughtUp();
        var chinese = new Dictionary<string, string> { ["Accept-Language"] = "zh-CN" };
        var english = new Dictionary<string, string> { ["Accept-Language"] = "en" };

        var week = (await Api.WeeklyDispatch()).GetProperty("week").GetString();
        foreach (var url in new[] { $"/api/households/{household}", $"/api/reports/weekly-dispatch/{week}", $"/api/reports/weekly-dispatch/{week}.csv" })
        {
            var zh = await Send(HttpMethod.Get, url, key: Keys.PovertyOffice, headers: chinese);
            var en = await Send(HttpMethod.Get, url, key: Keys.PovertyOffice, headers: english);
            Assert.Equal(200, (int)zh.StatusCode);
            Assert.Equal(await en.Content.ReadAsStringAsync(), await zh.Content.ReadAsStringAsync());
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Relief.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Relief.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("\\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex("Problems\\.(?:NotFound|Conflict|BusinessRule|TooManyRequests)\\( ?(?:ProblemTypes\\.[A-Za-z]+, ?)?\\$?\"(?<title>[^\"]+)\"|(?<![A-Za-z])Title = \\$?\"(?<title>[^\"]+)\"|\\(\"(?<title>[^\"]+)\", \\$?\"[^\"]*\"\\),")]
    private static partial Regex LiteralTitles();

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex InterpolationHole();
}
