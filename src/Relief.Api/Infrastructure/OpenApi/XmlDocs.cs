using System.Text;
using System.Xml.Linq;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// The <c>&lt;summary&gt;</c> of Relief's types and methods, read from the XML documentation file the
/// build writes beside the assembly, as plain text (code and references as their names).
/// </summary>
public sealed class XmlDocs
{
    private readonly Dictionary<string, string> _summaries = new(StringComparer.Ordinal);

    public static XmlDocs Load(string path)
    {
        var docs = new XmlDocs();
        if (!File.Exists(path)) return docs;
        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            var name = (string?)member.Attribute("name");
            var summary = member.Element("summary");
            if (name is null || summary is null) continue;
            docs._summaries[name] = Text(summary);
        }

        return docs;
    }

    public string? OfType(Type type) => _summaries.GetValueOrDefault("T:" + type.FullName!.Replace('+', '.'));

    /// <summary>A method's summary, when the type has no other method of that name (no overloads to tell apart).</summary>
    public string? OfMethod(System.Reflection.MethodInfo method)
    {
        var prefix = $"M:{method.DeclaringType!.FullName!.Replace('+', '.')}.{method.Name}";
        var matches = _summaries.Where(s => s.Key == prefix || s.Key.StartsWith(prefix + "(", StringComparison.Ordinal)).ToList();
        return matches.Count == 1 ? matches[0].Value : null;
    }

    private static string Text(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" or "paramref" or "typeparamref" } see:
                    var target = (string?)see.Attribute("cref") ?? (string?)see.Attribute("name") ?? (string?)see.Attribute("langword") ?? "";
                    target = target.Contains(':', StringComparison.Ordinal) ? target[(target.IndexOf(':', StringComparison.Ordinal) + 1)..] : target;
                    target = target.Split('(')[0];
                    text.Append(see.Value.Length > 0 ? see.Value : target[(target.LastIndexOf('.') + 1)..]);
                    break;
                case XElement e:
                    text.Append(Text(e));
                    break;
            }
        }

        return string.Join(' ', text.ToString().Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }
}
