using System.Net.Http.Headers;
using System.Text;
using Alba;
using MiniExcelLibs;

namespace Relief.Api.Tests.Uploads;

/// <summary>Spreadsheets as a department sends them: CSV in UTF-8 or GBK, workbooks, raw or as a form's file.</summary>
public static class Spreadsheets
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly Encoding Gbk = GbkEncoding();

    /// <summary>CSV text of rows (cells quoted where they must be), with the line ending Excel writes.</summary>
    public static string CsvText(params string[][] rows) =>
        string.Concat(rows.Select(r => string.Join(",", r.Select(Quote)) + "\r\n"));

    public static byte[] Utf8Csv(params string[][] rows) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(CsvText(rows))];

    public static byte[] GbkCsv(params string[][] rows) => Gbk.GetBytes(CsvText(rows));

    /// <summary>A workbook whose first sheet holds the rows as written (strings, or numbers and dates where given so).</summary>
    public static byte[] Workbook(params object?[][] rows) => Workbook(("Sheet1", rows));

    public static byte[] Workbook(params (string Name, object?[][] Rows)[] sheets)
    {
        using var stream = new MemoryStream();
        var all = new Dictionary<string, object>();
        foreach (var (name, rows) in sheets)
        {
            var width = rows.Max(r => r.Length);
            all[name] = rows.Select(r => Enumerable.Range(0, width).ToDictionary(i => $"c{i}", i => i < r.Length ? r[i] : null)).ToList();
        }

        stream.SaveAs(all, printHeader: false);
        return stream.ToArray();
    }

    /// <summary>The cells of a workbook's sheet, row by row, as text.</summary>
    public static List<List<string?>> Cells(byte[] workbook, string? sheet = null) =>
        MiniExcel.Query(new MemoryStream(workbook), useHeaderRow: false, sheetName: sheet)
            .Cast<IDictionary<string, object?>>()
            .Select(r => r.Values.Select(v => v?.ToString()).ToList())
            .ToList();

    /// <summary>Uploads a file: raw with its media type, or as the file of a multipart form.</summary>
    public static async Task<HttpResponseMessage> Upload(IAlbaHost host, string kind, byte[] file, string mediaType,
        string key = Keys.PovertyOffice, string? idempotencyKey = null, string? formFileName = null)
    {
        using var client = host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/uploads/{kind}");
        if (formFileName is null)
        {
            request.Content = new ByteArrayContent(file);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }
        else
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
            request.Content = new MultipartFormDataContent { { part, "file", formFileName } };
        }

        request.Headers.Add("X-Api-Key", key);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    /// <summary>Every event's stored JSON, as PostgreSQL holds it: what must hold no personal value in clear.</summary>
    public static async Task<string> StoredEvents()
    {
        await using var connection = new Npgsql.NpgsqlConnection(AppFixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select coalesce(string_agg(data::text, E'\n'), '') from relief.mt_events", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static Encoding GbkEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    }
}
