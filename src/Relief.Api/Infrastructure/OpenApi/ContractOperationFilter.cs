using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Relief.Api.Infrastructure.Idempotency;
using Relief.Api.Infrastructure.Provenance;
using Relief.Api.Infrastructure.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// Adds security, the contract's headers and the problem answers to each operation, and gives every
/// error answer (4xx, 5xx), whoever declared it, the problem-details schema: field errors on 400,
/// the plain problem elsewhere.
/// </summary>
internal sealed class ContractOperationFilter : IOperationFilter
{
    public const string ProblemMediaType = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var method = context.ApiDescription.HttpMethod ?? "GET";
        var isWrite = method is "POST" or "PUT" or "PATCH" or "DELETE";
        operation.Parameters ??= [];
        operation.Responses ??= [];

        if (!anonymous)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(OpenApiSetup.ApiKeyScheme, context.Document)] = [],
            });
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [],
            });

            Header(operation, "X-Correlation-Id", "Your correlation id; echoed back and stored with every event.");
            if (isWrite)
            {
                Header(operation, IdempotencyMiddleware.Header,
                    "1–255 printable ASCII characters. A retry with the same key and body replays the first answer.", 255);
                Header(operation, Caller.OperatorHeader, "The person operating the calling system.");
                Header(operation, ProvenanceMiddleware.ExternalRefHeader, "The record's id in your own system.");
            }

            Problem(operation, "400", "Invalid input: field-level errors.");
            Problem(operation, "401", "No or unknown credentials.");
            Problem(operation, "403", "A scope, department ownership or township binding is missing.");
            if (context.ApiDescription.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
                Problem(operation, "404", "No such resource.");
            if (isWrite)
            {
                Problem(operation, "409", "Stale version, a rule on current state, or the same Idempotency-Key still running.");
                Problem(operation, "413", "Body over 256 KiB.");
                Problem(operation, "415", "Body is not JSON.");
                Problem(operation, "422", "The Idempotency-Key was used with another body.");
            }

            Problem(operation, "429",
                "Over the caller's rate limit, or the county's expensive reads are all running: retry after Retry-After seconds.");
            Problem(operation, "500", "Unexpected error; nothing was written.");
        }

        var validation = context.SchemaGenerator.GenerateSchema(typeof(ValidationProblemDetails), context.SchemaRepository);
        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        foreach (var (status, response) in operation.Responses)
        {
            if (!int.TryParse(status, out var code) || code < 400 || response is not OpenApiResponse answer) continue;
            answer.Content ??= new Dictionary<string, IOpenApiMediaType>();
            answer.Content.Clear();
            answer.Content[ProblemMediaType] = new OpenApiMediaType { Schema = code == 400 ? validation : problem };
            if (string.IsNullOrEmpty(answer.Description)) answer.Description = "A problem (RFC 9457).";
        }
    }

    private static void Header(OpenApiOperation operation, string name, string description, int? maxLength = null)
    {
        if (operation.Parameters!.Any(p => p.Name == name)) return;
        operation.Parameters!.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength },
        });
    }

    private static void Problem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse { Description = description };
    }
}
