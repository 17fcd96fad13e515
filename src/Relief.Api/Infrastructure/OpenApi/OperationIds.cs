using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// The <c>operationId</c> of every route, read from the code that serves it so that a new route
/// gets one without any per-route work: the endpoint class's name without its <c>Endpoint</c>
/// suffix, camel-cased (<c>RegisterHouseholdEndpoint</c> → <c>registerHousehold</c>). When one
/// class serves several routes, each method's name beyond its verb is added unless the class name
/// already says it (<c>GetWeeklyDispatchEndpoint.GetCsv</c> → <c>getWeeklyDispatchCsv</c>). An id set
/// on the route attribute (<c>[WolverineGet(..., OperationId = "...")]</c>) wins. Ids are stable
/// (renaming a class renames its operation, which the snapshot shows) and unique (a test asserts it).
/// </summary>
public static class OperationIds
{
    private static readonly string[] Verbs = ["Get", "Post", "Put", "Patch", "Delete", "Head"];

    public static string For(ApiDescription api)
    {
        if (api.ActionDescriptor is not WolverineActionDescriptor { Chain: { } chain }) return Fallback(api);
        if (chain.HasExplicitOperationId) return chain.OperationId;

        var name = chain.Method.HandlerType.Name;
        foreach (var suffix in (string[])["Endpoints", "Endpoint"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        var method = chain.Method.Method.Name;
        var verb = Verbs.FirstOrDefault(v => method.StartsWith(v, StringComparison.Ordinal)) ?? "";
        var rest = method[verb.Length..];
        if (rest.Length > 0 && !name.Contains(rest, StringComparison.Ordinal)) name += rest;
        return CamelCase(name);
    }

    /// <summary>Not a Wolverine route (none today): the method and the route's words.</summary>
    private static string Fallback(ApiDescription api)
    {
        var words = new StringBuilder((api.HttpMethod ?? "get").ToLowerInvariant());
        foreach (var part in (api.RelativePath ?? "").Split('/', '-', '.', '{', '}', '_'))
        {
            if (part.Length == 0 || part == "api") continue;
            words.Append(char.ToUpperInvariant(part[0])).Append(part.AsSpan(1));
        }

        return words.ToString();
    }

    public static string CamelCase(string name) =>
        name.Length == 0 ? name : char.ToLower(name[0], CultureInfo.InvariantCulture) + name[1..];
}
