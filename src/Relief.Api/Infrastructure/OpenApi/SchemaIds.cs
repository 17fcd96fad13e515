namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// Component names a generator can turn into class names: a type's own name
/// (<c>RegisterHousehold</c>), a generic type's name with its arguments
/// (<c>Page&lt;OverdueCaseLine&gt;</c> → <c>PageOfOverdueCaseLine</c>), a nested type's name after its
/// container's (<c>ReportListOfOverdueCaseLine</c>). Where two of Relief's own public types share a
/// name, each is prefixed with its module's folder (<c>Households.Status</c> → <c>HouseholdsStatus</c>),
/// so a name never depends on the order in which the document meets the types.
/// </summary>
public static class SchemaIds
{
    private static readonly Lazy<HashSet<string>> SharedNames = new(() =>
    {
        var names = new[] { typeof(SchemaIds).Assembly, typeof(Core.Calendar.IsoWeek).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => !t.IsGenericTypeDefinition)
            .GroupBy(Plain)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key);
        return new HashSet<string>(names, StringComparer.Ordinal);
    });

    public static string For(Type type)
    {
        if (type.IsArray) return "ArrayOf" + For(type.GetElementType()!);
        if (Nullable.GetUnderlyingType(type) is { } inner) return For(inner);
        if (type.IsGenericType)
        {
            var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return name + "Of" + string.Join("And", type.GetGenericArguments().Select(For));
        }

        var plain = Plain(type);
        return IsOurs(type) && SharedNames.Value.Contains(plain) ? Module(type) + plain : plain;
    }

    private static string Plain(Type type) =>
        type.DeclaringType is { } outer && !type.IsGenericParameter ? Plain(outer) + type.Name : type.Name;

    private static bool IsOurs(Type type) =>
        type.Assembly == typeof(SchemaIds).Assembly || type.Assembly == typeof(Core.Calendar.IsoWeek).Assembly;

    /// <summary>The first namespace segment after the assembly's root: the module's folder.</summary>
    private static string Module(Type type)
    {
        var root = type.Assembly.GetName().Name!;
        var rest = (type.Namespace ?? "").StartsWith(root + ".", StringComparison.Ordinal)
            ? type.Namespace![(root.Length + 1)..]
            : type.Namespace ?? "";
        return string.Concat(rest.Split('.', StringSplitOptions.RemoveEmptyEntries));
    }
}
