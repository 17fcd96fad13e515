namespace Relief.Api.Infrastructure.Spreadsheets;

/// <summary>What a column holds, as far as reading a cell cares.</summary>
public enum ColumnKind
{
    /// <summary>Free text, kept as written (trimmed).</summary>
    Text,

    /// <summary>A date: <c>yyyy-MM-dd</c>, <c>yyyy/M/d</c>, <c>yyyy.M.d</c>, <c>yyyyMMdd</c> or a date cell of a workbook.</summary>
    Date,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>An amount (yuan), at most 2 decimals.</summary>
    Amount,

    /// <summary>A Relief id (a UUID, as the API answered it).</summary>
    Id,

    /// <summary>A value of a code list: its API code (<c>Illness</c>) or its Chinese label (<c>因病</c>).</summary>
    Code,

    /// <summary>Text, where a value of the code list is written as its code (<c>低保</c> → <c>MinimumLivingAllowance</c>).</summary>
    CodeOrText,
}

/// <summary>One value of a code list: its Chinese label, the API's code, and other words a department may write for it.</summary>
public sealed record CodeValue(string Label, string Code, params string[] Aliases);

/// <summary>A code list as the API uses it (<c>povertyCause</c>: <c>Illness</c> 因病 …).</summary>
public sealed record CodeList(string Name, string Title, IReadOnlyList<CodeValue> Values)
{
    /// <summary>The code a cell names, by code (any case), Chinese label or alias; null when it names none.</summary>
    public string? Find(string cell) =>
        Values.FirstOrDefault(v => string.Equals(v.Code, cell, StringComparison.OrdinalIgnoreCase)
                                   || v.Label == cell || v.Aliases.Contains(cell, StringComparer.OrdinalIgnoreCase))?.Code;

    /// <summary>A code list of an enum: every name, with the Chinese label given (the name where none is).</summary>
    public static CodeList Of<TEnum>(string name, string title, IReadOnlyDictionary<TEnum, CodeValue> values) where TEnum : struct, Enum =>
        new(name, title, Enum.GetValues<TEnum>().Select(v => values.TryGetValue(v, out var value) ? value : new CodeValue(v.ToString(), v.ToString()))
            .ToList());
}

/// <summary>
/// One column of an upload template: its Chinese header (what the department's spreadsheet says),
/// the API field it fills (a path inside one record of the JSON batch: <c>headName</c>,
/// <c>member.residentId</c>, <c>loan.amount</c>), what it holds, whether the column must be there,
/// and a note for the template's explanation sheet.
/// </summary>
public sealed record SheetColumn(string Header, string Field, ColumnKind Kind, bool Required, string Note, CodeList? Codes = null);

/// <summary>
/// How one kind of upload reads a spreadsheet: its columns (each a field of one record of the kind's
/// JSON batch), the name of its data sheet, and the most data rows one upload may hold.
/// </summary>
public sealed record SheetTemplate(string Kind, string SheetName, string Title, IReadOnlyList<SheetColumn> Columns, int MaxRows)
{
    /// <summary>The column of an API field, or null when the field is not a column (a rule across fields).</summary>
    public SheetColumn? ColumnOf(string field) => Columns.FirstOrDefault(c => c.Field == field);

    /// <summary>The code lists the columns use, each once.</summary>
    public IReadOnlyList<CodeList> CodeLists => Columns.Where(c => c.Codes is not null).Select(c => c.Codes!).DistinctBy(c => c.Name).ToList();
}
