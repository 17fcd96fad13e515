using System.Text.Json;
using Microsoft.OpenApi;
using Relief.Api.Infrastructure.Json;
using Swashbuckle.AspNetCore.SwaggerGen;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// A type that shows itself in the OpenAPI document: a command gives the request body example of
/// every route that takes it, an answer the example of every route that returns it. Written as C#,
/// so an example that no longer fits its type does not compile.
/// </summary>
public interface IHasExample<out TSelf>
{
    static abstract TSelf Example { get; }
}

/// <summary>
/// Puts each request body's and each JSON answer's <see cref="IHasExample{TSelf}"/> example in the
/// document, serialized as the API serializes (camelCase, enums by name). A write route whose body
/// type has none is caught by <c>OpenApiTests</c>.
/// </summary>
internal sealed class ExampleFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor is not WolverineActionDescriptor { Chain: { } chain }) return;
        if (chain.RequestType is { } requestType && Example(requestType) is { } request
            && operation.RequestBody?.Content is { } requestContent)
        {
            foreach (var media in requestContent.Values.OfType<OpenApiMediaType>()) media.Example = request;
        }

        if (chain.ResourceType is { } resourceType && Example(resourceType) is { } answer && operation.Responses is { } responses)
        {
            foreach (var (status, response) in responses)
            {
                if (!status.StartsWith('2') || response.Content is null) continue;
                foreach (var (name, media) in response.Content)
                {
                    if (name.Contains("json", StringComparison.Ordinal) && media is OpenApiMediaType concrete) concrete.Example = answer;
                }
            }
        }
    }

    /// <summary>The type's example as JSON, or null when it declares none.</summary>
    public static System.Text.Json.Nodes.JsonNode? Example(Type type)
    {
        var declares = type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IHasExample<>));
        if (!declares) return null;
        var value = type.GetProperty("Example", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            ?.GetValue(null);
        return JsonSerializer.SerializeToNode(value, type, ReliefJson.Api);
    }
}
