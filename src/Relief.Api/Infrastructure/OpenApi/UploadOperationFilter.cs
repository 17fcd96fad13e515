using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Relief.Api.Infrastructure.Spreadsheets;
using Swashbuckle.AspNetCore.SwaggerGen;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// A spreadsheet upload route (<see cref="SpreadsheetUploadAttribute"/>) takes a CSV or XLSX file, not
/// JSON: its request body is a raw <c>text/csv</c> or XLSX body, or one file in
/// <c>multipart/form-data</c>, and its error answers say what an upload is refused for. Runs before
/// <see cref="ContractOperationFilter"/>, which keeps these descriptions and adds the problem schemas.
/// </summary>
internal sealed class UploadOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor is not WolverineActionDescriptor { Chain: { } chain }
            || chain.Method.Method.GetCustomAttributes(typeof(SpreadsheetUploadAttribute), true).OfType<SpreadsheetUploadAttribute>()
                .FirstOrDefault() is not { } upload)
            return;

        var csv = upload.Example is null ? null : JsonValue.Create(upload.Example);

        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The spreadsheet: CSV (UTF-8, with or without a byte-order mark, or GB18030/GBK) or XLSX (its first sheet), "
                          + $"at most {SpreadsheetUploadAttribute.MaxBytes / 1024 / 1024} MiB. Row 1 holds the headers (the template's "
                          + "Chinese headers or the API field codes); a row of field codes below it is skipped.",
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["multipart/form-data"] = new OpenApiMediaType
                {
                    Example = csv is null ? null : new JsonObject { [UploadedFile.FormFileName] = csv.DeepClone() },
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { UploadedFile.FormFileName },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [UploadedFile.FormFileName] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String, Format = "binary",
                                Description = "The file, named .csv or .xlsx (or sent with its media type).",
                            },
                        },
                    },
                },
                [UploadedFile.CsvMediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = csv?.DeepClone() },
                [UploadedFile.XlsxMediaType] = new OpenApiMediaType
                {
                    Schema = binary,
                    Example = csv is null ? null : JsonValue.Create("(the same rows on the first sheet of an XLSX workbook: the template, filled in)"),
                },
            },
        };

        operation.Responses ??= [];
        operation.Responses["400"] = new OpenApiResponse
        {
            Description = "The file cannot be read as an upload (urn:relief:problem:unreadable-spreadsheet): empty, not UTF-8 or GB18030, "
                          + "an unknown, repeated or missing column, no data rows or too many, a malformed CSV or workbook.",
        };
        operation.Responses["413"] = new OpenApiResponse
            { Description = $"Body over {SpreadsheetUploadAttribute.MaxBytes / 1024 / 1024} MiB." };
        operation.Responses["415"] = new OpenApiResponse { Description = "The body is neither CSV nor XLSX, nor one such file in a form." };
        operation.Responses["422"] = new OpenApiResponse
        {
            Description = "A row was refused, so nothing was written (urn:relief:problem:upload-refused, with rows and errors naming "
                          + "each row, column and field), or the Idempotency-Key was used with another file.",
        };
    }
}
