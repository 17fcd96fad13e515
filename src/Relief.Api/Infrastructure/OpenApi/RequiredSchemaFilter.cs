using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// A request property marked <c>[Required]</c> is declared nullable in C# only so that a missing
/// value reaches the validator (which answers 400 "is required." for it): in the document it is
/// required and never null. The length, pattern and range attributes beside it carry the constants
/// the validator checks against, so the document and the checks cannot drift apart.
/// </summary>
internal sealed class RequiredSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Required: { Count: > 0 } required, Properties: { } properties }) return;
        foreach (var name in required)
        {
            if (properties.TryGetValue(name, out var property) && property is OpenApiSchema { Type: { } type } concrete)
                concrete.Type = type & ~JsonSchemaType.Null;
        }
    }
}
