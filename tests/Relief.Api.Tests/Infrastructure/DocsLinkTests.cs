using System.Text;
using System.Text.RegularExpressions;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// The README is the entry point and the manual lives in docs/: every relative link of
/// <c>README.md</c> and <c>docs/*.md</c> names a file that exists and, with a <c>#fragment</c>, a heading
/// of that file (anchors made the way GitHub makes them); and the README stays short. No database.
/// </summary>
public sealed partial class DocsLinkTests
{
    public const int ReadmeMaxLines = 300;

    [Fact]
    public void Every_relative_link_of_the_readme_and_the_docs_names_an_existing_file_and_heading()
    {
        var root = RepositoryRoot();
        var pages = DocumentationPages(root);
        Assert.Contains(pages, p => Path.GetFileName(p) == "README.md");
        Assert.True(pages.Count > 1, "docs/*.md found");

        var dead = pages.SelectMany(page => DeadLinks(root, page)).ToList();

        Assert.True(dead.Count == 0, "Dead relative links:\n" + string.Join('\n', dead));
    }

    [Fact]
    public void The_readme_is_an_entry_point_of_at_most_300_lines()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md")).Length;

        Assert.True(lines <= ReadmeMaxLines,
            $"README.md has {lines} lines; at most {ReadmeMaxLines}: move the detail into docs/ and link to it.");
    }

    [Theory]
    [InlineData("## 5. The integration contract", "5-the-integration-contract")]
    [InlineData("### Lists: `Page<T>` and strict query values", "lists-paget-and-strict-query-values")]
    [InlineData("### A department's batch upload", "a-departments-batch-upload")]
    [InlineData("### The weekly dispatch report (周工作调度)", "the-weekly-dispatch-report-周工作调度")]
    [InlineData("## 4. Erasure (PIPL art. 47)", "4-erasure-pipl-art-47")]
    public void A_heading_becomes_the_anchor_GitHub_makes_of_it(string heading, string anchor)
    {
        Assert.Equal(anchor, Assert.Single(Anchors(heading)));
    }

    private static List<string> DocumentationPages(string root) =>
        [Path.Combine(root, "README.md"), .. Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal)];

    private static IEnumerable<string> DeadLinks(string root, string page)
    {
        var lines = OutsideCode(File.ReadAllText(page));
        for (var i = 0; i < lines.Count; i++)
        {
            foreach (Match link in LinkTarget().Matches(lines[i]))
            {
                var target = link.Groups["target"].Value;
                if (SchemeOrAutolink().IsMatch(target)) continue;

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var path = hash < 0 ? target : target[..hash];
                var fragment = hash < 0 ? "" : target[(hash + 1)..];
                var file = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
                var where = $"{Path.GetRelativePath(root, page)}:{i + 1}: {target}";

                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    yield return where + " (no such file)";
                }
                else if (fragment.Length > 0 && file.EndsWith(".md", StringComparison.Ordinal)
                         && !Anchors(File.ReadAllText(file)).Contains(Uri.UnescapeDataString(fragment)))
                {
                    yield return where + " (no such heading)";
                }
            }
        }
    }

    /// <summary>The lines of a page with fenced code blocks and inline code blanked out.</summary>
    private static List<string> OutsideCode(string markdown)
    {
        var lines = new List<string>();
        var fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (Fence().IsMatch(line))
            {
                fenced = !fenced;
                lines.Add("");
                continue;
            }
            lines.Add(fenced ? "" : InlineCode().Replace(line, ""));
        }
        return lines;
    }

    /// <summary>The anchors of a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (Fence().IsMatch(line)) fenced = !fenced;
            if (fenced) continue;
            var heading = Heading().Match(line.TrimEnd('\r'));
            if (!heading.Success) continue;

            var slug = new StringBuilder();
            foreach (var c in heading.Groups["text"].Value.Trim().ToLowerInvariant())
            {
                if (c == ' ') slug.Append('-');
                else if (c == '-' || c == '_' || char.IsLetterOrDigit(c)) slug.Append(c);
            }
            var anchor = slug.ToString();
            var repeats = seen.GetValueOrDefault(anchor);
            seen[anchor] = repeats + 1;
            anchors.Add(repeats == 0 ? anchor : $"{anchor}-{repeats}");
        }
        return anchors;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Relief.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Relief.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9+.-]*:|<)")]
    private static partial Regex SchemeOrAutolink();

    [GeneratedRegex(@"^\s*(```|~~~)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.*?)\s*#*\s*$")]
    private static partial Regex Heading();
}
