using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Relief.Api.Infrastructure.Errors;

namespace Relief.Api.Infrastructure.Spreadsheets;

/// <summary>The two kinds of spreadsheet a department may upload.</summary>
public enum SheetFormat { Csv, Xlsx }

/// <summary>
/// Marks a write route whose body is a spreadsheet (CSV or XLSX), not JSON. The request guard then
/// holds the body to <see cref="MaxBytes"/>, accepts <c>text/csv</c>, the XLSX media type or one file
/// in <c>multipart/form-data</c>, and hands the file to the route as <see cref="UploadedFile"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SpreadsheetUploadAttribute : Attribute
{
    /// <summary>Largest accepted upload: 2 MiB (a full CSV of 1,000 households is about 150 KiB).</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>A CSV file as a department would send it, shown as the route's example in the OpenAPI document.</summary>
    public string? Example { get; set; }
}

/// <summary>The spreadsheet of an upload, as the request guard found it in the body.</summary>
public sealed record UploadedFile(SheetFormat Format, string? FileName, byte[] Bytes)
{
    public const string CsvMediaType = "text/csv";
    public const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string FormFileName = "file";

    private const string ItemKey = "relief.uploaded-file";

    /// <summary>The file the request guard found (every upload route has one, or was refused before it ran).</summary>
    public static UploadedFile Of(HttpContext context) =>
        context.Items[ItemKey] as UploadedFile
        ?? throw new InvalidOperationException("The route is not marked [SpreadsheetUpload]; the request guard found no file.");

    public void Keep(HttpContext context) => context.Items[ItemKey] = this;

    /// <summary>
    /// What the idempotency fingerprint covers: the file itself, not the multipart envelope around it,
    /// whose boundary a client draws anew for every request: the same file sent twice is the same request.
    /// </summary>
    public byte[] Fingerprint() => [(byte)Format, .. Bytes];

    /// <summary>
    /// The file in a body: a raw <c>text/csv</c> or XLSX body, or the one file part of a
    /// <c>multipart/form-data</c> body (its media type, else its name's extension, says which).
    /// A problem (415 or 400) when there is none, or it is neither CSV nor XLSX, or it is empty.
    /// </summary>
    public static async Task<(UploadedFile? File, ProblemDetails? Problem)> FindAsync(string? contentType, byte[] body,
        CancellationToken token)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
            return (null, Unsupported(contentType));

        if (type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return await FromFormAsync(media, body, token);

        var format = FormatOf(type);
        return format is null ? (null, Unsupported(contentType)) : Checked(new UploadedFile(format.Value, null, body));
    }

    private static async Task<(UploadedFile?, ProblemDetails?)> FromFormAsync(MediaTypeHeaderValue media, byte[] body, CancellationToken token)
    {
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
            return (null, Unreadable("The multipart body names no boundary."));

        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
        UploadedFile? found = null;
        try
        {
            while (await reader.ReadNextSectionAsync(token) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition())
                    continue;
                if (found is not null) return (null, Unreadable("Send one file per upload."));

                var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                var format = FormatOf(section.ContentType) ?? FormatOfName(name);
                if (format is null)
                {
                    return (null, Unsupported(section.ContentType is null ? name : $"{section.ContentType} ({name})"));
                }

                using var bytes = new MemoryStream();
                await section.Body.CopyToAsync(bytes, token);
                found = new UploadedFile(format.Value, name, bytes.ToArray());
            }
        }
        catch (IOException)
        {
            return (null, Unreadable("The multipart body is malformed."));
        }
        catch (InvalidDataException)
        {
            return (null, Unreadable("The multipart body is malformed."));
        }

        return found is null
            ? (null, Unreadable($"The multipart body holds no file; send the spreadsheet as the form field '{FormFileName}'."))
            : Checked(found);
    }

    private static (UploadedFile?, ProblemDetails?) Checked(UploadedFile file)
    {
        if (file.Bytes.Length == 0) return (null, Unreadable("The file is empty."));
        var zip = file.Bytes.Length >= 4 && file.Bytes[0] == 'P' && file.Bytes[1] == 'K' && file.Bytes[2] == 3 && file.Bytes[3] == 4;
        if (file.Format == SheetFormat.Xlsx && !zip)
            return (null, Unsupported("a file sent as XLSX that is not an Office Open XML workbook (an old .xls? save it as .xlsx)"));
        if (file.Format == SheetFormat.Csv && zip)
            return (null, Unsupported("a workbook sent as CSV; send it as XLSX"));
        return (file, null);
    }

    private static SheetFormat? FormatOf(string? mediaType)
    {
        var type = mediaType?.Split(';', 2)[0].Trim();
        return type switch
        {
            _ when string.Equals(type, CsvMediaType, StringComparison.OrdinalIgnoreCase) => SheetFormat.Csv,
            _ when string.Equals(type, XlsxMediaType, StringComparison.OrdinalIgnoreCase) => SheetFormat.Xlsx,
            _ => null,
        };
    }

    private static SheetFormat? FormatOfName(string? name) =>
        Path.GetExtension(name ?? "").ToUpperInvariant() switch
        {
            ".CSV" => SheetFormat.Csv,
            ".XLSX" => SheetFormat.Xlsx,
            _ => null,
        };

    private static ProblemDetails Unsupported(string? what) => new()
    {
        Type = ProblemTypes.UnsupportedMediaType,
        Title = "Only CSV and XLSX files are accepted.",
        Detail = $"Send the spreadsheet as {CsvMediaType}, as {XlsxMediaType}, or as one file (.csv or .xlsx) in multipart/form-data; "
                 + $"'{Cut(what)}' is not accepted.",
        Status = StatusCodes.Status415UnsupportedMediaType,
    };

    /// <summary>400: the spreadsheet cannot be read as an upload (<see cref="ProblemTypes.UnreadableSpreadsheet"/>).</summary>
    public static ProblemDetails Unreadable(string detail) => new()
    {
        Type = ProblemTypes.UnreadableSpreadsheet,
        Title = "The spreadsheet cannot be read.",
        Detail = detail,
        Status = StatusCodes.Status400BadRequest,
    };

    private static string Cut(string? text)
    {
        var value = new StringBuilder();
        foreach (var c in (text ?? "(none)").Take(100)) value.Append(char.IsControl(c) ? '?' : c);
        return value.ToString();
    }
}
