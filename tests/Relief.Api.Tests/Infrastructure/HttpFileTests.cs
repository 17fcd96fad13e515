using System.Text.Json;
using System.Text.RegularExpressions;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// The <c>.http</c> files under <c>docs/http</c> cannot rot: each request's method and route is an
/// operation of the OpenAPI document, each file names walk-throughs the API guide has, and the guide
/// links each file.
/// </summary>
public sealed partial class HttpFileTests(AppFixture fixture) : ApiTest(fixture)
{
    private static List<string> Names() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "docs", "http"), "*.http").Select(f => Path.GetFileName(f)).Order()];

    public static TheoryData<string> Files() => new(Names());

    [Fact]
    public void There_is_a_file_for_the_walk_throughs()
    {
        Assert.True(Names().Count >= 9, $"only {Names().Count} .http files");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_request_is_an_operation_of_the_document(string file)
    {
        var document = JsonDocument.Parse(await (await Send(HttpMethod.Get, "/swagger/v1/swagger.json", key: null)).Content.ReadAsStringAsync()).RootElement;
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (Method: m.Name.ToUpperInvariant(), Route: Template(p.Name))))
            .ToList();

        var requests = Requests(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "http", file))).ToList();

        Assert.NotEmpty(requests);
        foreach (var (method, path) in requests)
        {
            Assert.True(operations.Any(o => o.Method == method && o.Route.IsMatch(path)),
                $"{file}: {method} {path} is no operation of the OpenAPI document");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_file_names_walk_throughs_of_the_guide_and_the_guide_links_it(string file)
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "api-guide.md"));
        var header = string.Concat(File.ReadLines(Path.Combine(RepositoryRoot(), "docs", "http", file))
            .TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim() + " "));

        var names = WalkThroughName().Matches(header).Select(m => m.Groups["name"].Value).ToList();
        Assert.True(names.Count > 0, $"{file} names no walk-through of the guide in its header");
        foreach (var name in names)
        {
            Assert.Contains("### " + name + "\n", guide.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }

        Assert.Contains($"(http/{file})", guide, StringComparison.Ordinal);
    }

    /// <summary>Each request line of a file: its method and its path, variables replaced by a value, query left out.</summary>
    private static IEnumerable<(string Method, string Path)> Requests(string text)
    {
        foreach (Match match in RequestLine().Matches(text))
        {
            var path = match.Groups["path"].Value.Replace("{{api}}", "", StringComparison.Ordinal).Split('?')[0];
            path = Variable().Replace(path, "x");
            yield return (match.Groups["method"].Value, path);
        }
    }

    /// <summary>An OpenAPI path as a pattern: each <c>{parameter}</c> matches one segment or the part of one before a suffix.</summary>
    private static Regex Template(string route) =>
        new("^" + Regex.Replace(Regex.Escape(route).Replace("\\{", "{", StringComparison.Ordinal), "{[^}]+}", "[^/]+?") + "$");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Relief.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Relief.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>\S+)( HTTP/\S+)?\s*$", RegexOptions.Multiline)]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\{\{[^}]+\}\}")]
    private static partial Regex Variable();

    [GeneratedRegex("\"(?<name>[^\"]+)\"")]
    private static partial Regex WalkThroughName();
}
