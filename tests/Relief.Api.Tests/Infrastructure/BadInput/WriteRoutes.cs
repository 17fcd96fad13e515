using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Relief.Api.Tests.Infrastructure.BadInput;

/// <summary>
/// A write route as the running app maps it: method, route template and the request type it binds
/// its body to (null for a route without a body).
/// </summary>
public sealed record WriteRoute(string Method, string Template, Type? RequestType)
{
    public override string ToString() => $"{Method} {Template}";

    /// <summary>The names of the route's parameters, in order (<c>{householdId}</c> → <c>householdId</c>).</summary>
    public IReadOnlyList<string> Parameters { get; } =
        System.Text.RegularExpressions.Regex.Matches(Template, "{([^}:?]+)[^}]*}").Select(m => m.Groups[1].Value).ToList();

    /// <summary>
    /// Every POST, PUT, PATCH and DELETE under <c>/api</c> the app maps, read from its endpoint data
    /// source, so that a route added later is swept without anyone listing it.
    /// </summary>
    public static IReadOnlyList<WriteRoute> Of(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                .Select(m => new WriteRoute(m, e.RoutePattern.RawText!, e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType)))
            .Distinct()
            .OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
}

/// <summary>What a field of a request type is, as far as a malformed value cares.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name",
    Justification = "The kinds are JSON's and OpenAPI's names for a value (integer, object); no language-neutral API is at stake.")]
public enum LeafKind
{
    Text,
    Integer,
    Decimal,
    Boolean,
    Date,
    Instant,
    Id,
    Enum,
    Object,
    Array,
}

/// <summary>One field of a request body while it is built: its kind, JSON name and CLR type.</summary>
public sealed record Leaf(LeafKind Kind, string Name, Type Type);

/// <summary>
/// Builds a plausible body for a request type by reflection: each field gets a value of its type
/// (ids and versions from the sweep's world where the name says which), and a malformed case may
/// replace any field's value as it is built. A route added later gets a body without anyone
/// writing one.
/// </summary>
public sealed class BodyBuilder(Func<Leaf, JsonNode?>? defaults = null)
{
    /// <summary>Answers the replacement for a field, or <see cref="Keep"/> to build it as usual.</summary>
    public delegate JsonNode? Replace(Leaf leaf);

    /// <summary>The marker a <see cref="Replace"/> answers to leave a field as it would be.</summary>
    public static readonly JsonNode Keep = JsonValue.Create("\u0001keep")!;

    public JsonNode? Build(Type type, Replace? replace, out int replaced)
    {
        var count = 0;
        var node = Build(type, "body", replace ?? (_ => Keep), ref count, depth: 0, root: true);
        replaced = count;
        return node;
    }

    private JsonNode? Build(Type type, string name, Replace replace, ref int replaced, int depth, bool root = false)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var kind = KindOf(type);
        if (!root)
        {
            var replacement = replace(new Leaf(kind, name, type));
            if (!ReferenceEquals(replacement, Keep))
            {
                replaced++;
                return replacement?.DeepClone();
            }
        }

        switch (kind)
        {
            case LeafKind.Object:
            {
                var obj = new JsonObject();
                if (depth > 4) return obj;
                if (IsDictionary(type, out var keyType, out var valueType))
                {
                    var key = keyType.IsEnum ? Enum.GetNames(keyType)[0] : "key";
                    obj[JsonNamingPolicy.CamelCase.ConvertName(key)] = Build(valueType, key, replace, ref replaced, depth + 1);
                    return obj;
                }

                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                             .Where(p => p.CanRead && p.GetIndexParameters().Length == 0
                                         && p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null))
                {
                    var jsonName = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                    obj[jsonName] = Build(property.PropertyType, jsonName, replace, ref replaced, depth + 1);
                }

                return obj;
            }
            case LeafKind.Array:
                return new JsonArray(Build(ElementOf(type), name, replace, ref replaced, depth + 1));
            default:
                return defaults?.Invoke(new Leaf(kind, name, type)) ?? Default(kind, name, type);
        }
    }

    /// <summary>A valid-looking value for a field of its kind and name.</summary>
    public static JsonNode? Default(LeafKind kind, string name, Type type) => kind switch
    {
        LeafKind.Text => name.ToLowerInvariant() switch
        {
            "township" => "mucheng",
            "residentid" => Requests.ResidentId(new DateOnly(1950, 3, 15), 900),
            "phone" => "13800138000",
            "url" => "http://127.0.0.1:9/hook",
            "secret" => "a-secret-of-more-than-16",
            "period" => "2020-Q3",
            "month" => "2020-09",
            _ => "正常文字",
        },
        LeafKind.Integer => 1,
        LeafKind.Decimal => 100m,
        LeafKind.Boolean => true,
        LeafKind.Date => "2020-09-15",
        LeafKind.Instant => "2020-09-15T08:00:00+08:00",
        LeafKind.Id => Guid.NewGuid().ToString(),
        LeafKind.Enum => Enum.GetNames(type)[0],
        _ => null,
    };

    public static LeafKind KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return LeafKind.Text;
        if (type == typeof(bool)) return LeafKind.Boolean;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)) return LeafKind.Integer;
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float)) return LeafKind.Decimal;
        if (type == typeof(DateOnly)) return LeafKind.Date;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return LeafKind.Instant;
        if (type == typeof(Guid)) return LeafKind.Id;
        if (type.IsEnum) return LeafKind.Enum;
        if (IsDictionary(type, out _, out _)) return LeafKind.Object;
        if (type != typeof(JsonElement) && typeof(IEnumerable).IsAssignableFrom(type)) return LeafKind.Array;
        return LeafKind.Object;
    }

    private static bool IsDictionary(Type type, out Type key, out Type value)
    {
        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        key = dictionary?.GetGenericArguments()[0] ?? typeof(string);
        value = dictionary?.GetGenericArguments()[1] ?? typeof(string);
        return dictionary is not null;
    }

    private static Type ElementOf(Type type) =>
        type.IsArray
            ? type.GetElementType()!
            : type.GetInterfaces().Append(type)
                  .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                  ?.GetGenericArguments()[0] ?? typeof(string);
}
