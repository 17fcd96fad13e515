using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Relief.Api.Infrastructure.Idempotency;
using Relief.Api.Infrastructure.Provenance;
using Relief.Api.Infrastructure.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/swagger/v1/swagger.json</c> and the Swagger UI at <c>/swagger</c>:
/// both security schemes, the contract's request headers on every write, and the problem-details
/// answers of each route. Outside Development both need a credential (see <see cref="UseReliefOpenApi"/>).
/// </summary>
public static class OpenApiSetup
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddReliefOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Relief",
                Version = "v1",
                Description = "The event-sourced ledger of Wuzhi County's 五养八延伸 mechanism. "
                              + "Authenticate with X-Api-Key (department systems) or a bearer token.",
            });
            o.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.Header,
                Description = "A department system's API key.",
            });
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token of the deployment's identity provider, with scope and department claims.",
            });
            o.OperationFilter<ContractOperationFilter>();
            o.CustomSchemaIds(t => t.FullName!.Replace("Relief.Api.", "").Replace('+', '.'));
            o.SupportNonNullableReferenceTypes();
            var xml = Path.Combine(AppContext.BaseDirectory, "Relief.Api.xml");
            if (File.Exists(xml)) o.IncludeXmlComments(xml);
        });
        return services;
    }

    /// <summary>
    /// Swagger UI's own files only: its scripts, style sheets and images (some as data: URIs) from
    /// Relief itself, and requests (the document, "try it out") to Relief itself.
    /// </summary>
    public const string SwaggerUiPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Serve Swagger UI: in Development by default, elsewhere only when set to true.</summary>
    public const string SwaggerUiSetting = "Relief:OpenApi:SwaggerUi";

    /// <summary>
    /// In Development the document and the UI are open to anyone. Anywhere else the document
    /// describes the attack surface of a system holding personal data: it needs a credential (an API
    /// key or a bearer token, any scope), and Swagger UI is off unless <see cref="SwaggerUiSetting"/>
    /// is true, and then needs one too (a browser sends none by itself: see docs/security.md).
    /// </summary>
    public static WebApplication UseReliefOpenApi(this WebApplication app)
    {
        var open = app.Environment.IsDevelopment();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger => swagger.Use(async (context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = SwaggerUiPolicy;
            if (!open)
            {
                var caller = await context.AuthenticateAsync();
                if (!caller.Succeeded)
                {
                    await ProblemAuthorizationResultHandler.ChallengeAsync(context);
                    return;
                }

                context.User = caller.Principal;
            }

            await next(context);
        }));

        app.UseSwagger();
        if (app.Configuration.GetValue(SwaggerUiSetting, open))
        {
            app.UseSwaggerUI(o =>
            {
                o.SwaggerEndpoint("/swagger/v1/swagger.json", "Relief v1");
                o.DocumentTitle = "Relief API";
            });
        }

        return app;
    }

    /// <summary>Adds security, contract headers and problem responses to each operation.</summary>
    private sealed class ContractOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any()) return;

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [],
            });
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });

            var method = context.ApiDescription.HttpMethod ?? "GET";
            var isWrite = method is "POST" or "PUT" or "PATCH" or "DELETE";
            operation.Parameters ??= [];
            Header(operation, "X-Correlation-Id", "Your correlation id; echoed back and stored with every event.");
            if (isWrite)
            {
                Header(operation, IdempotencyMiddleware.Header,
                    "1–255 printable ASCII characters. A retry with the same key and body replays the first answer.",
                    maxLength: 255);
                Header(operation, Caller.OperatorHeader, "The person operating the calling system.");
                Header(operation, ProvenanceMiddleware.ExternalRefHeader, "The record's id in your own system.");
            }

            operation.Responses ??= [];
            var problem = context.SchemaGenerator.GenerateSchema(typeof(ValidationProblemDetails), context.SchemaRepository);
            Problem(operation, problem, "400", "Invalid input: field-level errors.");
            Problem(operation, problem, "401", "No or unknown credentials.");
            Problem(operation, problem, "403", "A scope, department ownership or township binding is missing.");
            if (context.ApiDescription.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
                Problem(operation, problem, "404", "No such resource.");
            if (isWrite)
            {
                Problem(operation, problem, "409", "Stale version, a rule on current state, or the same Idempotency-Key still running.");
                Problem(operation, problem, "413", "Body over 256 KiB.");
                Problem(operation, problem, "415", "Body is not JSON.");
                Problem(operation, problem, "422", "The Idempotency-Key was used with another body.");
            }

            Problem(operation, problem, "429",
                "Over the caller's rate limit, or the county's expensive reads are all running: retry after Retry-After seconds.");
            Problem(operation, problem, "500", "Unexpected error; nothing was written.");
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

        private static void Problem(OpenApiOperation operation, IOpenApiSchema schema, string status, string description)
        {
            if (operation.Responses!.ContainsKey(status)) return;
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/problem+json"] = new OpenApiMediaType { Schema = schema },
                },
            };
        }
    }
}
