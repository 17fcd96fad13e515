using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// A summary and a description from the code's own documentation, in place of the route dump
/// Wolverine offers (<c>POST_api_households</c>): the endpoint method's XML summary, else its class's,
/// else the request body's type's; with none, the operation id in words ("Register household").
/// The summary is the documentation's first sentence; the description is the whole of it.
/// </summary>
internal sealed partial class OperationTextFilter(XmlDocs docs) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (IsRouteDump(operation.Summary)) operation.Summary = null;
        if (IsRouteDump(operation.Description)) operation.Description = null;

        // Swashbuckle puts the method's XML summary, whole, in the summary; Relief reads it too.
        var text = Flat(operation.Summary);
        if (text is null && context.ApiDescription.ActionDescriptor is WolverineActionDescriptor { Chain: { } chain })
        {
            text = docs.OfMethod(chain.Method.Method) ?? docs.OfType(chain.Method.HandlerType)
                ?? (chain.RequestType is { } body ? docs.OfType(body) : null);
        }

        operation.Summary = text is null ? Words(operation.OperationId ?? "") : FirstSentence(text);
        operation.Description = Flat(operation.Description) ?? text;
        if (operation.Description is { } description && operation.Summary == description.TrimEnd('.')) operation.Description = null;
    }

    private static string? Flat(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? null
            : string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Wolverine's default name of a route: <c>GET_api_households_householdId</c>.</summary>
    private static bool IsRouteDump(string? text) =>
        text is not null && RouteDump().IsMatch(text);

    [GeneratedRegex("^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)_[A-Za-z0-9_]*$")]
    private static partial Regex RouteDump();

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        var sentence = end < 0 ? text : text[..(end + 1)];
        return sentence.Length <= 160 ? sentence.TrimEnd('.') : sentence[..157].TrimEnd() + "…";
    }

    private static string Words(string operationId)
    {
        var words = new System.Text.StringBuilder();
        foreach (var c in operationId)
        {
            if (char.IsUpper(c) && words.Length > 0) words.Append(' ').Append(char.ToLowerInvariant(c));
            else words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : c);
        }

        return words.ToString();
    }
}
