using System.Text;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Infrastructure.BadInput;

/// <summary>One request of the sweep: path, raw body bytes, content type, key and extra headers.</summary>
public sealed record SweepRequest(
    string Path,
    byte[]? Body,
    string? ContentType = "application/json",
    string? Key = Keys.PovertyOffice,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null);

/// <summary>A write route with the sweep's world filled in: real ids in the path, a plausible body.</summary>
public sealed class SweepTarget(WriteRoute route, IReadOnlyDictionary<string, string> routeValues, BodyBuilder builder)
{
    public WriteRoute Route => route;

    public bool HasBody => route.RequestType is not null;

    public bool HasParameters => route.Parameters.Count > 0;

    /// <summary>The path with the world's ids, the first parameter replaced when <paramref name="first"/> is given.</summary>
    public string Path(string? first = null)
    {
        var path = route.Template;
        for (var i = 0; i < route.Parameters.Count; i++)
        {
            var name = route.Parameters[i];
            var value = i == 0 && first is not null
                ? Uri.EscapeDataString(first)
                : routeValues.GetValueOrDefault(name, Guid.NewGuid().ToString());
            path = System.Text.RegularExpressions.Regex.Replace(path, "{" + name + "[^}]*}", value);
        }

        return path;
    }

    /// <summary>A plausible body (the request type's fields), or a small object for a route without a body.</summary>
    public JsonNode Body() =>
        route.RequestType is null
            ? new JsonObject { ["note"] = "正常文字" }
            : builder.Build(route.RequestType, null, out _) ?? new JsonObject();

    public string BodyText() => Body().ToJsonString();

    /// <summary>The body with fields replaced, or null when no field of this route was replaced (the case does not apply).</summary>
    public string? Mutated(BodyBuilder.Replace replace)
    {
        if (route.RequestType is null) return null;
        var node = builder.Build(route.RequestType, replace, out var replaced);
        return replaced == 0 ? null : node?.ToJsonString() ?? "null";
    }
}

/// <summary>A kind of malformed request, made for one route (or null when it does not apply to the route).</summary>
public sealed record Malformed(string Name, Func<SweepTarget, SweepRequest?> Make)
{
    public override string ToString() => Name;
}

/// <summary>
/// The malformed requests of the bad-input sweep. Each one is wrong for a reason the API must
/// refuse with a 4xx problem and nothing written. Free text is never the only thing spoiled:
/// an injection string is a legitimate note, so injections go into ids, codes, dates, enums and
/// paths, where they can only be wrong.
/// </summary>
public static class MalformedRequests
{
    private const string SqlInjection = "1'; drop table relief.mt_events; --";
    private const string ScriptInjection = "<script>alert(1)</script>";
    private const string FullWidthDigits = "４１０８２３１９５００３１５００１Ｘ";

    public static IReadOnlyList<Malformed> All { get; } = Build();

    public static Malformed Named(string name) => All.Single(m => m.Name == name);

    private static SweepRequest Raw(SweepTarget t, string body) => new(t.Path(), Encoding.UTF8.GetBytes(body));

    private static SweepRequest Raw(SweepTarget t, byte[] body) => new(t.Path(), body);

    private static SweepRequest? Typed(SweepTarget t, string? body) => body is null ? null : Raw(t, body);

    /// <summary>Replaces every field of the given kinds (and keeps the others).</summary>
    private static BodyBuilder.Replace Every(JsonNode? value, params LeafKind[] kinds) =>
        leaf => kinds.Contains(leaf.Kind) ? value : BodyBuilder.Keep;

    private static BodyBuilder.Replace Named(JsonNode? value, params string[] names) =>
        leaf => names.Contains(leaf.Name, StringComparer.OrdinalIgnoreCase) ? value : BodyBuilder.Keep;

    private static readonly LeafKind[] Structured = [LeafKind.Integer, LeafKind.Decimal, LeafKind.Boolean, LeafKind.Date,
        LeafKind.Instant, LeafKind.Id, LeafKind.Enum];

    private static List<Malformed> Build()
    {
        var cases = new List<Malformed>();
        void Add(string name, Func<SweepTarget, SweepRequest?> make) => cases.Add(new Malformed(name, make));

        // Broken JSON: refused before any handler, whatever the route binds.
        Add("broken JSON", t => Raw(t, """{ "version": 1, """));
        Add("truncated JSON", t => Raw(t, t.BodyText()[..(t.BodyText().Length / 2)]));
        Add("truncated after the last value", t => Raw(t, t.BodyText().TrimEnd('}')));
        Add("trailing comma", t => Raw(t, t.BodyText().TrimEnd('}') + ",}"));
        Add("single quotes", t => Raw(t, t.BodyText().Replace('"', '\'')));
        Add("unquoted property names", t => Raw(t, "{version:1}"));
        Add("a comment", t => Raw(t, "/* comment */ " + t.BodyText()));
        Add("NaN", t => Raw(t, """{"version":NaN}"""));
        Add("two documents", t => Raw(t, t.BodyText() + t.BodyText()));
        Add("a raw control character in a string", t => Raw(t, """{"note":"a""" + "\u0001" + """b"}"""));
        Add("invalid UTF-8", t => Raw(t, [.. Encoding.UTF8.GetBytes("""{"note":"a"""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("""b"}""")]));
        Add("a byte-order mark and garbage", t => Raw(t, [0xEF, 0xBB, 0xBF, 0xFF, 0xFE]));
        Add("nesting 33 deep", t => Raw(t, string.Concat(Enumerable.Repeat("""{"a":""", 33)) + "1" + new string('}', 33)));
        Add("nesting 5,000 deep", t => Raw(t, new string('[', 5000) + new string(']', 5000)));
        Add("\\u0000 in a string", t => Raw(t, """{"note":"张\u0000三"}"""));
        Add("a lone high surrogate", t => Raw(t, """{"note":"张\ud800三"}"""));
        Add("a lone low surrogate", t => Raw(t, """{"note":"张\udc00三"}"""));
        Add("a lone surrogate in a property name", t => Raw(t, """{"\ud800":1}"""));
        Add("a 1 MB string", t => Raw(t, """{"note":"%"}""".Replace("%", new string('字', 1024 * 1024 / 3))));
        Add("1 MB of whitespace", t => Raw(t, new string(' ', 1024 * 1024) + "{}"));

        // The wrong shape: refused where the route binds a body.
        Add("\\u0000 in every text field", t => Typed(t, t.Mutated(Every("张\u0000三", LeafKind.Text))));
        // The serializer would repair a lone surrogate in a string, so it is written into the text afterwards.
        Add("a lone surrogate in every text field", t =>
            Typed(t, t.Mutated(Every("LONE-SURROGATE", LeafKind.Text))?.Replace("LONE-SURROGATE", "\\ud800")));
        Add("null for the whole body", t => t.HasBody ? Raw(t, "null") : null);
        Add("an array for the whole body", t => t.HasBody ? Raw(t, "[]") : null);
        Add("a string for the whole body", t => t.HasBody ? Raw(t, "\"text\"") : null);
        Add("a number for the whole body", t => t.HasBody ? Raw(t, "42") : null);
        Add("an empty object", t => t.HasBody ? Raw(t, "{}") : null);
        Add("an empty body", t => t.HasBody ? new SweepRequest(t.Path(), []) : null);
        Add("an unknown property", t =>
        {
            if (!t.HasBody || t.Body() is not JsonObject body) return null;
            body["vilage"] = "东关村";
            return Raw(t, body.ToJsonString());
        });
        Add("null for every field", t => Typed(t, t.Mutated(leaf => null)));
        Add("a number for every text field", t => Typed(t, t.Mutated(Every(42, LeafKind.Text))));
        Add("an object for every text field", t => Typed(t, t.Mutated(Every(new JsonObject(), LeafKind.Text))));
        Add("text for every number", t => Typed(t, t.Mutated(Every("1", LeafKind.Integer, LeafKind.Decimal))));
        Add("a boolean for every number", t => Typed(t, t.Mutated(Every(true, LeafKind.Integer, LeafKind.Decimal))));
        Add("text for every boolean", t => Typed(t, t.Mutated(Every("true", LeafKind.Boolean))));
        Add("text for every object", t => Typed(t, t.Mutated(Every("x", LeafKind.Object))));
        Add("an object for every list", t => Typed(t, t.Mutated(Every(new JsonObject(), LeafKind.Array))));
        Add("a list for every id", t => Typed(t, t.Mutated(Every(new JsonArray(), LeafKind.Id))));

        // Numbers.
        Add("1e400 for every number", t => Typed(t, t.Mutated(Every(JsonNode.Parse("1e400"), LeafKind.Integer, LeafKind.Decimal))));
        Add("a 40-digit number for every number", t => Typed(t, t.Mutated(Every(JsonNode.Parse(new string('9', 40)), LeafKind.Integer, LeafKind.Decimal))));
        Add("2^31 for every integer", t => Typed(t, t.Mutated(Every(2147483648L, LeafKind.Integer))));
        Add("a fraction for every integer", t => Typed(t, t.Mutated(Every(1.5m, LeafKind.Integer))));
        Add("-1 for every number", t => Typed(t, t.Mutated(Every(-1, LeafKind.Integer, LeafKind.Decimal))));
        Add("a negative amount", t => Typed(t, t.Mutated(Every(-0.01m, LeafKind.Decimal))));
        Add("a thousandth of a yuan", t => Typed(t, t.Mutated(Every(0.001m, LeafKind.Decimal))));
        Add("79228162514264337593543950335 (decimal.MaxValue)", t => Typed(t, t.Mutated(Every(decimal.MaxValue, LeafKind.Decimal))));
        Add("int.MaxValue for every integer", t => Typed(t, t.Mutated(Every(int.MaxValue, LeafKind.Integer))));

        // Dates.
        Add("30 February", t => Typed(t, t.Mutated(Every("2021-02-30", LeafKind.Date))));
        Add("month 13", t => Typed(t, t.Mutated(Every("2020-13-01", LeafKind.Date))));
        Add("year 0", t => Typed(t, t.Mutated(Every("0000-01-01", LeafKind.Date))));
        Add("a day-first date", t => Typed(t, t.Mutated(Every("15/03/1950", LeafKind.Date))));
        Add("a date with a time", t => Typed(t, t.Mutated(Every("2020-09-15T00:00:00", LeafKind.Date))));
        Add("year 10000", t => Typed(t, t.Mutated(Every("10000-01-01", LeafKind.Date))));
        Add("full-width digits in every date", t => Typed(t, t.Mutated(Every("２０２０-０９-１５", LeafKind.Date))));
        Add("a number for every date", t => Typed(t, t.Mutated(Every(20200915, LeafKind.Date))));

        // Enums.
        Add("an unknown enum value", t => Typed(t, t.Mutated(Every("Bogus", LeafKind.Enum))));
        Add("a number for every enum", t => Typed(t, t.Mutated(Every(1, LeafKind.Enum))));
        Add("an empty enum value", t => Typed(t, t.Mutated(Every("", LeafKind.Enum))));
        Add("script in every enum", t => Typed(t, t.Mutated(Every(ScriptInjection, LeafKind.Enum))));

        // Ids and codes.
        Add("a malformed id", t => Typed(t, t.Mutated(Every("not-a-guid", LeafKind.Id))));
        Add("the empty id", t => Typed(t, t.Mutated(Every(Guid.Empty.ToString(), LeafKind.Id))));
        Add("full-width digits in every id", t => Typed(t, t.Mutated(Every("０１ａ２２３ｆ２-ｅ２２ｆ-７０１９-ｂｄ５８-６ｄ４ｃ０ｆ７０２９３６", LeafKind.Id))));
        Add("SQL in every structured field", t => Typed(t, t.Mutated(Every(SqlInjection, Structured))));
        Add("SQL in the township", t => Typed(t, t.Mutated(Named(SqlInjection, "township"))));
        Add("script in the township", t => Typed(t, t.Mutated(Named(ScriptInjection, "township"))));
        Add("a resident ID with a bad check digit", t => Typed(t, t.Mutated(Named("410823195003150015", "residentId"))));
        Add("a resident ID in full-width digits", t => Typed(t, t.Mutated(Named(FullWidthDigits, "residentId"))));
        Add("a resident ID born on 30 February", t => Typed(t, t.Mutated(Named("410823195002300016", "residentId"))));
        Add("a resident ID with SQL", t => Typed(t, t.Mutated(Named("4108231950'--0010", "residentId"))));
        Add("a phone in full-width digits", t => Typed(t, t.Mutated(Named("１３８００１３８０００", "phone"))));
        Add("a script URL", t => Typed(t, t.Mutated(Named("javascript:alert(1)", "url"))));
        Add("an empty code", t => Typed(t, t.Mutated(Named("", "township", "residentId", "phone", "url", "secret", "period"))));
        Add("a code of whitespace", t => Typed(t, t.Mutated(Named("   ", "township", "residentId", "phone", "url", "secret", "period"))));
        Add("200 KB in every text field", t => Typed(t, t.Mutated(Every(new string('x', 200 * 1024), LeafKind.Text))));

        // The path.
        Add("a malformed id in the path", t => t.HasParameters ? new SweepRequest(t.Path("not-a-guid"), Body(t)) : null);
        Add("SQL in the path", t => t.HasParameters ? new SweepRequest(t.Path(SqlInjection), Body(t)) : null);
        Add("full-width digits in the path", t => t.HasParameters ? new SweepRequest(t.Path("０１ａ２２３ｆ２"), Body(t)) : null);
        Add("a 40-digit number in the path", t => t.HasParameters ? new SweepRequest(t.Path(new string('9', 40)), Body(t)) : null);
        Add("an unknown id in the path", t => t.HasParameters ? new SweepRequest(t.Path(Guid.NewGuid().ToString()), Body(t)) : null);

        // Credentials, media type and headers.
        Add("no key", t => new SweepRequest(t.Path(), Body(t), Key: null));
        Add("a forged key", t => new SweepRequest(t.Path(), Body(t), Key: "dev-forged"));
        Add("a forged bearer token", t => new SweepRequest(t.Path(), Body(t), Key: null,
            Headers: [new("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwic2NvcGUiOiJhZG1pbiJ9.")]));
        Add("a key without the scope", t => new SweepRequest(t.Path(), Body(t), Key: Keys.Reports));
        Add("text/plain", t => new SweepRequest(t.Path(), Body(t), "text/plain"));
        Add("XML", t => new SweepRequest(t.Path(), "<household/>"u8.ToArray(), "application/xml"));
        Add("a form", t => new SweepRequest(t.Path(), "township=mucheng"u8.ToArray(), "application/x-www-form-urlencoded"));
        Add("no content type", t => new SweepRequest(t.Path(), Body(t), null));
        Add("a non-ASCII Idempotency-Key", t => WithHeader(t, "Idempotency-Key", "键-1"));
        Add("a 300-character Idempotency-Key", t => WithHeader(t, "Idempotency-Key", new string('k', 300)));
        Add("two Idempotency-Keys", t => new SweepRequest(t.Path(), Body(t),
            Headers: [new("Idempotency-Key", "sweep-1"), new("Idempotency-Key", "sweep-2")]));
        return cases;
    }

    private static byte[] Body(SweepTarget t) => Encoding.UTF8.GetBytes(t.BodyText());

    private static SweepRequest WithHeader(SweepTarget t, string name, string value) =>
        new(t.Path(), Body(t), Headers: [new(name, value)]);
}
