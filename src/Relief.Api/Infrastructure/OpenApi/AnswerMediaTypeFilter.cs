using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// A route that answers a file or a page declares it with <c>[Produces("text/csv")]</c>: its success
/// answer is then that media type (a text as a string, anything else as binary), in place of the
/// JSON Wolverine guesses or the empty answer it gives an <c>IResult</c>.
/// </summary>
internal sealed class AnswerMediaTypeFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor is not WolverineActionDescriptor { Chain: { } chain }) return;
        var produces = chain.Method.Method.GetCustomAttributes(typeof(ProducesAttribute), true).OfType<ProducesAttribute>()
            .SelectMany(p => p.ContentTypes).ToList();
        if (produces.Count == 0 || operation.Responses is null) return;

        foreach (var (status, response) in operation.Responses)
        {
            if (!status.StartsWith('2') || response is not OpenApiResponse answer) continue;
            answer.Content ??= new Dictionary<string, IOpenApiMediaType>();
            answer.Content.Clear();
            foreach (var mediaType in produces)
            {
                answer.Content[mediaType] = new OpenApiMediaType
                {
                    Schema = IsText(mediaType)
                        ? new OpenApiSchema { Type = JsonSchemaType.String }
                        : new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                };
            }
        }
    }

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType.EndsWith("json", StringComparison.Ordinal);
}
