using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;

namespace Relief.Api.Infrastructure.Spreadsheets;

/// <summary>
/// One data row of an uploaded spreadsheet: its number as the spreadsheet program shows it, the
/// record it makes (the JSON batch's record, field by field), and the cells that could not be read
/// (by API field; the value is never repeated, so an ID number never comes back in an answer).
/// </summary>
public sealed record SheetRow(int Number, JsonObject Record, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>A spreadsheet read against a template: its data rows, or the problem that stops it being read at all.</summary>
public sealed record SheetRead(SheetTemplate Template, IReadOnlyList<SheetRow> Rows, ProblemDetails? Problem)
{
    public static SheetRead Unreadable(SheetTemplate template, string detail) => new(template, [], UploadedFile.Unreadable(detail));
}

/// <summary>
/// Reads an uploaded CSV or XLSX file against an upload template. Row 1 holds the headers: each the
/// template's Chinese header (a trailing <c>*</c> allowed) or its API field code, in any order. Row 2
/// is skipped when it holds the field codes (as the downloadable templates do). Every further
/// non-empty row is a record. A CSV is UTF-8 (with or without a byte-order mark) or GB18030/GBK, as
/// Chinese Excel saves it; the first sheet of a workbook is read.
/// </summary>
public static class SheetReader
{
    /// <summary>Most characters a cell may hold (the longest field takes 500).</summary>
    public const int MaxCellLength = 2000;

    /// <summary>Most bytes a workbook may expand to (a zip bomb is refused before it is opened).</summary>
    public const long MaxWorkbookBytes = 64L * 1024 * 1024;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Lazy<Encoding> StrictGb18030 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日"];

    public static SheetRead Read(UploadedFile file, SheetTemplate template)
    {
        var (cells, problem) = file.Format == SheetFormat.Csv ? CsvCells(file.Bytes) : WorkbookCells(file.Bytes);
        return problem is not null ? SheetRead.Unreadable(template, problem) : Rows(cells!, template);
    }

    /// <summary>The text of a CSV file: UTF-8 (a byte-order mark allowed), else GB18030 (which GBK is part of); null when it is neither.</summary>
    public static string? Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith(Encoding.UTF8.Preamble)) span = span[3..];
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return null;

        try
        {
            return StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException)
        {
        }

        try
        {
            return StrictGb18030.Value.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static (List<(int Number, string?[] Cells)>?, string?) CsvCells(byte[] bytes)
    {
        var text = Decode(bytes);
        if (text is null)
            return (null, "The CSV file is neither UTF-8 nor GB18030/GBK text (a UTF-16 \"Unicode text\" file is not accepted); "
                          + "save it as \"CSV UTF-8\" or plain \"CSV\".");

        var rows = new List<(int, string?[])>();
        try
        {
            using var reader = CsvReader.Create(new StringReader(text),
                new CsvReaderOptions { HasHeader = false, SkipEmptyLines = false, MalformedData = CsvMalformedDataHandling.Throw });
            var number = 0;
            while (reader.Read())
            {
                number++;
                var cells = new string?[reader.FieldCount];
                for (var i = 0; i < cells.Length; i++) cells[i] = reader.GetString(i);
                rows.Add((number, cells));
            }
        }
        catch (CsvFormatException)
        {
            return (null, $"The CSV file is malformed after row {rows.Count} (a quote that is not closed or stray text after one).");
        }

        return (rows, null);
    }

    private static (List<(int Number, string?[] Cells)>?, string?) WorkbookCells(byte[] bytes)
    {
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read))
            {
                if (zip.Entries.Count > 1000 || zip.Entries.Sum(e => e.Length) > MaxWorkbookBytes)
                    return (null, $"The workbook expands to more than {MaxWorkbookBytes / 1024 / 1024} MiB; it is not read.");
            }

            var rows = new List<(int, string?[])>();
            var number = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(new MemoryStream(bytes, writable: false), useHeaderRow: false,
                         excelType: ExcelType.XLSX))
            {
                number++;
                rows.Add((number, row.OrderBy(c => ColumnIndex(c.Key)).Select(c => CellText(c.Value)).ToArray()));
            }

            return (rows, null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or System.Xml.XmlException
                                      or FormatException or KeyNotFoundException or NullReferenceException or IndexOutOfRangeException
                                      or ArgumentException)
        {
            return (null, "The file is not a readable XLSX workbook.");
        }
    }

    /// <summary>A workbook cell as text: numbers invariant (integral ones without decimals), dates as yyyy-MM-dd.</summary>
    private static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime d => d.ToString(d.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A column letter's index (A → 0, AA → 26).</summary>
    private static int ColumnIndex(string letters)
    {
        var index = 0;
        foreach (var c in letters) index = index * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        return index - 1;
    }

    private static SheetRead Rows(List<(int Number, string?[] Cells)> all, SheetTemplate template)
    {
        if (all.Count == 0 || all[0].Cells.All(string.IsNullOrWhiteSpace))
            return SheetRead.Unreadable(template, "The spreadsheet is empty: row 1 must hold the column headers.");

        // The header row: every non-empty header names a column of the template, once.
        var headers = all[0].Cells;
        var columns = new SheetColumn?[headers.Length];
        var unknown = new List<string>();
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i]?.Trim().TrimEnd('*', '＊').Trim();
            if (string.IsNullOrEmpty(header)) continue;
            var column = template.Columns.FirstOrDefault(c => c.Header == header || string.Equals(c.Field, header, StringComparison.OrdinalIgnoreCase));
            if (column is null) unknown.Add(Shown(header));
            else if (columns.Contains(column))
                return SheetRead.Unreadable(template, $"The column '{column.Header}' ({column.Field}) is there twice.");
            else columns[i] = column;
        }

        if (unknown.Count > 0)
        {
            return SheetRead.Unreadable(template,
                $"Unknown column{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(u => $"'{u}'"))}. The columns of a {template.Kind} upload are: "
                + string.Join(", ", template.Columns.Select(c => $"{c.Header} ({c.Field})")) + ".");
        }

        var missing = template.Columns.Where(c => c.Required && !columns.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return SheetRead.Unreadable(template,
                "Missing column" + (missing.Count > 1 ? "s" : "") + ": " + string.Join(", ", missing.Select(c => $"{c.Header} ({c.Field})")) + ".");
        }

        var data = all.Skip(1).ToList();
        if (data.Count > 0 && IsCodeRow(data[0].Cells, columns)) data.RemoveAt(0);
        data.RemoveAll(r => r.Cells.All(string.IsNullOrWhiteSpace));
        if (data.Count == 0) return SheetRead.Unreadable(template, "The spreadsheet has headers but no data rows.");
        if (data.Count > template.MaxRows)
        {
            return SheetRead.Unreadable(template,
                $"The spreadsheet has {data.Count} data rows; one {template.Kind} upload takes at most {template.MaxRows}. Split it.");
        }

        var rows = new List<SheetRow>();
        foreach (var (number, cells) in data)
        {
            for (var i = columns.Length; i < cells.Length; i++)
            {
                if (!string.IsNullOrWhiteSpace(cells[i]))
                    return SheetRead.Unreadable(template, $"Row {number} has a value in column {i + 1}, which has no header.");
            }

            for (var i = 0; i < columns.Length && i < cells.Length; i++)
            {
                if (columns[i] is null && !string.IsNullOrWhiteSpace(cells[i]))
                    return SheetRead.Unreadable(template, $"Row {number} has a value in column {i + 1}, which has no header.");
            }

            rows.Add(Row(number, cells, columns));
        }

        return new SheetRead(template, rows, null);
    }

    /// <summary>The second row of a downloaded template: each column's API field code.</summary>
    private static bool IsCodeRow(string?[] cells, SheetColumn?[] columns) =>
        cells.Any(c => !string.IsNullOrWhiteSpace(c))
        && cells.Select((c, i) => (Cell: c?.Trim(), Column: i < columns.Length ? columns[i] : null))
            .All(x => string.IsNullOrEmpty(x.Cell) || (x.Column is not null && string.Equals(x.Cell, x.Column.Field, StringComparison.OrdinalIgnoreCase)));

    private static SheetRow Row(int number, string?[] cells, SheetColumn?[] columns)
    {
        var record = new JsonObject();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Length && i < cells.Length; i++)
        {
            if (columns[i] is not { } column) continue;
            var cell = cells[i]?.Trim();
            if (string.IsNullOrEmpty(cell)) continue;

            var (value, error) = Value(column, cell);
            if (error is not null) errors[column.Field] = [error];
            else Set(record, column.Field, value);
        }

        return new SheetRow(number, record, errors);
    }

    /// <summary>A cell's value as the JSON batch takes it, or why it cannot be read (never repeating a personal value).</summary>
    private static (JsonNode? Value, string? Error) Value(SheetColumn column, string cell)
    {
        if (cell.Length > MaxCellLength) return (null, $"is longer than {MaxCellLength} characters.");
        if (cell.Any(c => (char.IsControl(c) && c is not '\t' and not '\r' and not '\n') || char.IsSurrogate(c) && !HasPair(cell)))
            return (null, "holds a control character or a broken character.");

        switch (column.Kind)
        {
            case ColumnKind.Text:
                return (JsonValue.Create(cell), null);
            case ColumnKind.Date:
                return DateOnly.TryParseExact(cell, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
                    : (null, "is not a date; write it as yyyy-MM-dd (2020-09-15).");
            case ColumnKind.WholeNumber:
                return int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                    ? (JsonValue.Create(number), null)
                    : (null, "is not a whole number.");
            case ColumnKind.Amount:
                return decimal.TryParse(cell.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture, out var amount)
                    ? (JsonValue.Create(amount), null)
                    : (null, "is not an amount in yuan (1234.50).");
            case ColumnKind.Id:
                return Guid.TryParseExact(cell, "D", out var id)
                    ? (JsonValue.Create(id.ToString()), null)
                    : (null, "is not a Relief id (a UUID such as 01923f6e-2c4d-7b1a-9e5f-3a2b1c0d9e8f).");
            case ColumnKind.Code:
                var codes = column.Codes!;
                return codes.Find(cell) is { } code
                    ? (JsonValue.Create(code), null)
                    : (null, $"is not a value of {codes.Name} ({codes.Title}); allowed: "
                             + string.Join(", ", codes.Values.Select(v => $"{v.Code} {v.Label}")) + ".");
            case ColumnKind.CodeOrText:
                return (JsonValue.Create(column.Codes!.Find(cell) ?? cell), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column.Kind, "Unknown column kind.");
        }
    }

    private static bool HasPair(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }

        return true;
    }

    /// <summary>Sets a field by its path (<c>member.name</c>), making the objects on the way.</summary>
    private static void Set(JsonObject record, string field, JsonNode? value)
    {
        var parts = field.Split('.');
        var node = record;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject next) node[part] = next = new JsonObject();
            node = next;
        }

        node[parts[^1]] = value;
    }

    /// <summary>A header or code as shown back in an error: cut short, control characters replaced.</summary>
    private static string Shown(string text) =>
        new(text.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
}
