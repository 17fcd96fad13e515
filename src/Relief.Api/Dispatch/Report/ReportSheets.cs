namespace Relief.Api.Dispatch.Report;

/// <summary>A column or sheet of the report's spreadsheets: its Chinese name (what the meeting reads) and its English code (what a program reads).</summary>
public sealed record SheetName(string Chinese, string Code, string Content = "");

/// <summary>
/// The columns and sheets of the weekly report's CSV and XLSX, Chinese first with the English code
/// beside each (docs/api-guide.md lists them). Figure names come from <see cref="FigureLabels"/>.
/// </summary>
public static class ReportSheets
{
    /// <summary>The CSV's columns: one row per figure of the county or a township.</summary>
    public static readonly IReadOnlyList<SheetName> CsvColumns =
    [
        new("周", "week"), new("范围", "scope"), new("名称", "name"), new("指标代码", "figure"), new("指标", "label"),
        new("指标(英文)", "labelEn"), new("数值", "value"), new("周变化", "change"),
    ];

    public static readonly SheetName Figures = new("指标", "figures", "每项指标一行：全县及各乡镇的数值与周变化");
    public static readonly SheetName Overdue = new("逾期事项", "overdueCases", "逾期未办结的政策事项及其责任部门");
    public static readonly SheetName Uncovered = new("未签协议户", "withoutAgreement", "未签五养协议的兜底户");

    public static IReadOnlyList<SheetName> Sheets { get; } = [Figures, Overdue, Uncovered];

    /// <summary>The sheet naming every sheet's English code.</summary>
    public const string About = "说明";

    /// <summary>The figures sheet's columns: the figure, the county, then each township (by name; its code in row 2).</summary>
    public static IReadOnlyList<SheetName> FigureColumns(IReadOnlyList<(string Code, string Name)> townships) =>
    [
        new("指标代码", "figure"), new("指标", "label"), new("指标(英文)", "labelEn"), new("全县", "county"), new("全县周变化", "countyChange"),
        .. townships.SelectMany(t => new SheetName[] { new(t.Name, t.Code), new($"{t.Name}周变化", $"{t.Code}Change") }),
    ];

    public static readonly IReadOnlyList<SheetName> OverdueColumns =
    [
        new("事项编号", "case"), new("政策", "policy"), new("阶段", "stage"), new("乡镇", "township"), new("对象", "subject"),
        new("到期日", "dueOn"), new("逾期天数", "daysOverdue"), new("责任部门", "owners"),
    ];

    public static readonly IReadOnlyList<SheetName> UncoveredColumns =
    [
        new("户编号", "household"), new("乡镇", "township"), new("对象", "subject"), new("起始日", "since"),
    ];
}
