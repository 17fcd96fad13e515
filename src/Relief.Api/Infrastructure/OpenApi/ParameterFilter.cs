using Microsoft.OpenApi;
using Relief.Api.Infrastructure.Http;
using Swashbuckle.AspNetCore.SwaggerGen;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// Types and describes the query values and route values every endpoint reads as text and checks
/// itself (see <see cref="QueryValues"/>): by name for the ones the whole API shares (<c>cursor</c>,
/// <c>limit</c>, <c>township</c>, dates, flags, ids, <c>week</c>), and by the endpoint parameter's
/// <see cref="QueryAttribute"/> for the rest (an enum's names, required). A new endpoint that names
/// its values as the others do is documented with no further work.
/// </summary>
internal sealed class ParameterFilter : IOperationFilter
{
    private sealed record Convention(JsonSchemaType Type, string Description, string? Format = null, string? Pattern = null);

    private static readonly Dictionary<string, Convention> ByName = new(StringComparer.Ordinal)
    {
        ["cursor"] = new(JsonSchemaType.String, "The `nextCursor` of the previous page; leave it out for the first page."),
        ["township"] = new(JsonSchemaType.String,
            "A township of the county, by code or by name. A township-bound caller always reads its own township."),
        ["on"] = new(JsonSchemaType.String, "The day to read (a China date); today by default.", "date"),
        ["from"] = new(JsonSchemaType.String, "The first day (a China date), inclusive.", "date"),
        ["to"] = new(JsonSchemaType.String, "The last day (a China date), inclusive.", "date"),
        ["effectiveOn"] = new(JsonSchemaType.String, "The business date the state is read as effective on (a China date).", "date"),
        ["asOf"] = new(JsonSchemaType.String,
            "As known at: a date (yyyy-MM-dd, meaning the end of that day in China) or an instant with its offset."),
        ["asKnownAt"] = new(JsonSchemaType.String, "The instant, with its offset, the report is read as known at.", "date-time"),
        ["month"] = new(JsonSchemaType.String, "A month, written yyyy-MM.", Pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$"),
        ["week"] = new(JsonSchemaType.String, "An ISO week, such as 2020-W40.", Pattern: "^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"),
        ["type"] = new(JsonSchemaType.String, "An event type's name, such as HouseholdRegistered."),
        ["kind"] = new(JsonSchemaType.String, "An upload kind: households, household-members or policy-decisions.",
            Pattern: "^(households|household-members|policy-decisions)$"),
        ["includeClosed"] = new(JsonSchemaType.Boolean, "Also list closed households."),
        ["covered"] = new(JsonSchemaType.Boolean, "Only households with (true) or without (false) an agreement in force on the day."),
        ["warned"] = new(JsonSchemaType.Boolean, "Only evaluations that raised (true) or did not raise (false) a warning."),
        ["open"] = new(JsonSchemaType.Boolean, "Only open (true) or closed (false) cases."),
        ["full"] = new(JsonSchemaType.Boolean, "Re-verify the whole chain from the genesis, not from the last intact position."),
        ["householdId"] = new(JsonSchemaType.String, "A household's id.", "uuid"),
        ["ownerId"] = new(JsonSchemaType.String, "A household's or caregiver family's id.", "uuid"),
        ["subscriptionId"] = new(JsonSchemaType.String, "A webhook subscription's id.", "uuid"),
        ["memberId"] = new(JsonSchemaType.String, "A member's id.", "uuid"),
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Parameters is null) return;
        var method = context.ApiDescription.ActionDescriptor is WolverineActionDescriptor { Chain: { } chain } ? chain.Method.Method : null;
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            if (parameter.In is not (ParameterLocation.Query or ParameterLocation.Path) || parameter.Name is null) continue;
            var declared = method?.GetParameters().FirstOrDefault(p => p.Name == parameter.Name);
            var query = declared?.GetCustomAttributes(typeof(QueryAttribute), false).OfType<QueryAttribute>().FirstOrDefault();
            var isText = declared is null || declared.ParameterType == typeof(string);

            if (query?.OneOf is { } enumType)
            {
                parameter.Schema = context.SchemaGenerator.GenerateSchema(enumType, context.SchemaRepository);
                parameter.Description ??= $"One of the {enumType.Name} names (case-insensitive).";
            }
            else if (parameter.Name == "limit" && isText)
            {
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer,
                    Format = "int32",
                    Minimum = "1",
                    Maximum = QueryValues.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Default = System.Text.Json.Nodes.JsonValue.Create(QueryValues.DefaultLimit),
                };
                parameter.Description ??= $"How many items a page holds: 1 to {QueryValues.MaxLimit}, {QueryValues.DefaultLimit} by default.";
            }
            else if (parameter.Name == "version" && isText)
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" };
                parameter.Description ??= "A stream version, 1 or more.";
            }
            else if (ByName.TryGetValue(parameter.Name, out var convention) && isText)
            {
                parameter.Schema = new OpenApiSchema { Type = convention.Type, Format = convention.Format, Pattern = convention.Pattern };
                parameter.Description ??= convention.Description;
            }
            else if (parameter.In == ParameterLocation.Path && parameter.Name.EndsWith("Id", StringComparison.Ordinal))
            {
                parameter.Description ??= $"The {Words(parameter.Name[..^2])}'s id.";
            }

            if (query?.Description is { } description) parameter.Description = description;
            if (query?.Required == true) parameter.Required = true;
        }
    }

    private static string Words(string camel) =>
        string.Concat(camel.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
