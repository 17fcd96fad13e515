using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;

namespace Relief.Api.Infrastructure.Json;

/// <summary>
/// The one System.Text.Json policy of Relief: camelCase names, enums as their names, ISO dates.
/// Marten stores documents and events with it; the API reads and writes with it, and additionally
/// refuses unknown properties in requests (a misspelt field is a 400, not silently dropped data).
/// </summary>
public static class ReliefJson
{
    /// <summary>Applies the shared policy to a serializer options instance.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping; // Chinese text stays readable
        options.Converters.Add(new StrictEnumConverterFactory());
    }

    /// <summary>The policy for the HTTP API: the shared one, plus strictness on input.</summary>
    public static void ConfigureApi(JsonSerializerOptions options)
    {
        Configure(options);
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.MaxDepth = RequestLimits.MaxJsonDepth;
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    /// <summary>A ready instance of the API policy, for code outside the HTTP pipeline.</summary>
    public static JsonSerializerOptions Api { get; } = CreateApi();

    private static JsonSerializerOptions CreateApi()
    {
        var options = new JsonSerializerOptions();
        ConfigureApi(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static IServiceCollection AddReliefJson(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => ConfigureApi(o.SerializerOptions));
        return services;
    }
}
