using System.Net;
using Alba;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// Outside Development the OpenAPI document needs a credential, and Swagger UI is off unless the
/// deployment turns it on, and then needs one too.
/// </summary>
public sealed class OpenApiInProductionTests
{
    private const string Key = "integration-portal-5c1e";

    private static Dictionary<string, string> Settings(bool swaggerUi) => new(OtherHost.PersonalDataKeys)
    {
        ["Relief:ApiKeys:0:Name"] = "integration-portal",
        ["Relief:ApiKeys:0:Hash"] = ApiKeyRegistry.HashOf(Key),
        ["Relief:ApiKeys:0:Department"] = "Audit",
        ["Relief:ApiKeys:0:Scopes:0"] = "reports:read",
        [OpenApiSetup.SwaggerUiSetting] = swaggerUi ? "true" : "false",
    };

    private static async Task<(HttpStatusCode Status, IScenarioResult Result)> Get(IAlbaHost host, string url, string? key)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url(url);
            if (key is not null) s.WithRequestHeader(ApiKeyAuthenticationHandler.Header, key);
            s.IgnoreStatusCode();
        });
        return ((HttpStatusCode)result.Context.Response.StatusCode, result);
    }

    [Fact]
    public async Task The_document_needs_a_credential_and_the_UI_is_off()
    {
        await using var host = await OtherHost.StartAsync("Production", Settings(swaggerUi: false));

        var (anonymousDocument, refused) = await Get(host, "/swagger/v1/swagger.json", key: null);
        var (anonymousUi, _) = await Get(host, "/swagger/index.html", key: null);
        var (document, _) = await Get(host, "/swagger/v1/swagger.json", Key);
        var (ui, _) = await Get(host, "/swagger/index.html", Key);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousDocument);
        Assert.Equal("application/problem+json", refused.Context.Response.ContentType?.Split(';')[0]);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousUi);
        Assert.Equal(HttpStatusCode.OK, document);
        Assert.Equal(HttpStatusCode.NotFound, ui);
    }

    [Fact]
    public async Task Turned_on_the_UI_needs_a_credential_and_loads_only_its_own_files()
    {
        await using var host = await OtherHost.StartAsync("Production", Settings(swaggerUi: true));

        var (anonymous, _) = await Get(host, "/swagger/index.html", key: null);
        var (ui, page) = await Get(host, "/swagger/index.html", Key);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.OK, ui);
        Assert.Equal(OpenApiSetup.SwaggerUiPolicy, page.Context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.DoesNotContain("unsafe-inline", OpenApiSetup.SwaggerUiPolicy);
    }
}
