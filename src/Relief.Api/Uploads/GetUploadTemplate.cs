using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Spreadsheets;
using Wolverine.Http;

namespace Relief.Api.Uploads;

/// <summary>
/// The template of an upload kind (<c>households</c>, <c>household-members</c>, <c>policy-decisions</c>),
/// to fill in and upload: a CSV with the Chinese header row and the field-code row, or a workbook with
/// the same two rows on its first sheet, every column explained on the second (填写说明) and the code
/// lists on the third (代码表). Any credential may download one; it holds no data.
/// </summary>
public static class GetUploadTemplateEndpoint
{
    /// <summary>404 for a kind that is not an upload kind.</summary>
    public static ProblemDetails Validate(string kind) =>
        UploadTemplates.Of(kind) is null
            ? Problems.NotFound("No such upload kind.",
                $"The upload kinds are {string.Join(", ", UploadTemplates.All.Select(t => t.Kind))}.")
            : WolverineContinue.NoProblems;

    /// <summary>The CSV template of an upload kind: the Chinese header row, then the API field codes.</summary>
    [WolverineGet("/api/uploads/{kind}/template.csv"), Tags("Uploads")]
    [Authorize]
    [Produces("text/csv")]
    public static FileContentHttpResult GetCsv(string kind) =>
        TypedResults.File(SheetWriter.TemplateCsv(UploadTemplates.Of(kind)!), "text/csv; charset=utf-8", $"{kind}-template.csv");

    /// <summary>The XLSX template of an upload kind: the data sheet, the columns explained, the code lists.</summary>
    [WolverineGet("/api/uploads/{kind}/template.xlsx"), Tags("Uploads")]
    [Authorize]
    [Produces(UploadedFile.XlsxMediaType)]
    public static async Task<FileContentHttpResult> GetXlsx(string kind, CancellationToken token) =>
        TypedResults.File(await SheetWriter.TemplateXlsxAsync(UploadTemplates.Of(kind)!, token), UploadedFile.XlsxMediaType,
            $"{kind}-template.xlsx");
}
