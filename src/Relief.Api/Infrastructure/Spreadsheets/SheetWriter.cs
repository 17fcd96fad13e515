using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace Relief.Api.Infrastructure.Spreadsheets;

/// <summary>
/// Writes Relief's spreadsheets the way the county reads them: Chinese headers first, the English
/// field codes in the row below them for machines, and CSV as UTF-8 with a byte-order mark so that
/// Excel shows the Chinese right. The upload templates and the report exports both use it.
/// </summary>
public static class SheetWriter
{
    /// <summary>The name of a template's explanation sheet.</summary>
    public const string ColumnsSheet = "填写说明";

    /// <summary>The name of a template's code-list sheet.</summary>
    public const string CodesSheet = "代码表";

    /// <summary>A CSV file: the Chinese header row, the code row, then the rows; UTF-8 with a byte-order mark.</summary>
    public static byte[] Csv(IReadOnlyList<string> headers, IReadOnlyList<string> codes, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions(), true))
        {
            csv.WriteRecord(headers.ToArray());
            csv.WriteRecord(codes.ToArray());
            foreach (var row in rows) csv.WriteRecord(row.Select(v => v ?? "").ToArray());
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>A sheet of a workbook: the Chinese header row, the code row, then the rows (values as they are: numbers stay numbers).</summary>
    public static List<Dictionary<string, object?>> Sheet(IReadOnlyList<string> headers, IReadOnlyList<string> codes,
        IEnumerable<IReadOnlyList<object?>> rows)
    {
        var keys = Enumerable.Range(0, headers.Count).Select(i => $"c{i}").ToArray();
        var sheet = new List<Dictionary<string, object?>> { Line(keys, headers), Line(keys, codes) };
        sheet.AddRange(rows.Select(r => Line(keys, r)));
        return sheet;
    }

    /// <summary>A workbook of named sheets, in order, each written as its rows are (no header of MiniExcel's own).</summary>
    public static async Task<byte[]> WorkbookAsync(IReadOnlyList<(string Name, List<Dictionary<string, object?>> Rows)> sheets,
        CancellationToken token)
    {
        using var stream = new MemoryStream();
        var all = new Dictionary<string, object>();
        foreach (var (name, rows) in sheets) all[name] = rows;
        await stream.SaveAsAsync(all, printHeader: false, cancellationToken: token);
        return stream.ToArray();
    }

    /// <summary>The CSV template of an upload: the header row and the code row, nothing else to delete before filling it in.</summary>
    public static byte[] TemplateCsv(SheetTemplate template) =>
        Csv(template.Columns.Select(Header).ToList(), template.Columns.Select(c => c.Field).ToList(), []);

    /// <summary>
    /// The XLSX template of an upload: the data sheet (headers, codes), the explanation of every column,
    /// and the code lists with their Chinese labels.
    /// </summary>
    public static Task<byte[]> TemplateXlsxAsync(SheetTemplate template, CancellationToken token)
    {
        var data = Sheet(template.Columns.Select(Header).ToList(), template.Columns.Select(c => c.Field).ToList(), []);
        var columns = Sheet(["列名", "字段代码", "必填", "格式", "说明", "代码表"],
            ["header", "field", "required", "format", "note", "codeList"],
            template.Columns.Select(c => (IReadOnlyList<object?>)
                [c.Header, c.Field, c.Required ? "是" : "否", FormatOf(c.Kind), c.Note, c.Codes?.Name]));
        var codes = Sheet(["代码表", "名称", "代码", "中文", "也可写作"], ["codeList", "title", "code", "label", "aliases"],
            template.CodeLists.SelectMany(list => list.Values.Select(v => (IReadOnlyList<object?>)
                [list.Name, list.Title, v.Code, v.Label, string.Join("、", v.Aliases)])));
        return WorkbookAsync([(template.SheetName, data), (ColumnsSheet, columns), (CodesSheet, codes)], token);
    }

    /// <summary>A column's header in a template: required ones end with <c>*</c> (the reader accepts it with or without).</summary>
    private static string Header(SheetColumn column) => column.Required ? column.Header + "*" : column.Header;

    private static string FormatOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "文本",
        ColumnKind.Date => "日期 yyyy-MM-dd",
        ColumnKind.WholeNumber => "整数",
        ColumnKind.Amount => "金额(元)",
        ColumnKind.Id => "编号 (UUID)",
        ColumnKind.Code => "代码 (代码或中文)",
        ColumnKind.CodeOrText => "代码或文本",
        _ => kind.ToString(),
    };

    private static Dictionary<string, object?> Line(string[] keys, IReadOnlyList<object?> values)
    {
        var line = new Dictionary<string, object?>();
        for (var i = 0; i < keys.Length; i++) line[keys[i]] = i < values.Count ? values[i] : null;
        return line;
    }
}
