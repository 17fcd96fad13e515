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
            // Relative: the document is served by the deployment it describes (eng/run: http://127.0.0.1:5080).
            o.AddServer(new OpenApiServer { Url = "/", Description = "The deployment serving this document." });
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
            o.CustomOperationIds(OperationIds.For);
            o.CustomSchemaIds(SchemaIds.For);
            o.SupportNonNullableReferenceTypes();
            var xml = Path.Combine(AppContext.BaseDirectory, "Relief.Api.xml");
            if (File.Exists(xml)) o.IncludeXmlComments(xml);
            var docs = XmlDocs.Load(xml);
            o.OperationFilter<UploadOperationFilter>();
            o.OperationFilter<ContractOperationFilter>();
            o.OperationFilter<OperationTextFilter>(docs);
            o.OperationFilter<AnswerMediaTypeFilter>();
            o.OperationFilter<ParameterFilter>();
            o.OperationFilter<ExampleFilter>();
            o.SchemaFilter<RequiredSchemaFilter>();
            o.SchemaFilter<FieldGlossary>();
            o.DocumentFilter<DocumentInfoFilter>();
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
}
