using Relief.Api.Dispatch.Report;

namespace Relief.Api.Dispatch.RollUps;

/// <summary>
/// The columns and sheets of the roll-ups' CSV and XLSX, Chinese first with the English code beside
/// each (docs/api-guide.md lists them). Figure names come from <see cref="FigureLabels"/>.
/// </summary>
public static class RollUpSheets
{
    /// <summary>The CSV's columns: one row per figure of the region's totals or of a county, then one per county left out.</summary>
    public static readonly IReadOnlyList<SheetName> CsvColumns =
    [
        new("周", "week"), new("截至", "asOf"), new("范围", "scope"), new("县代码", "county"), new("名称", "name"), new("指标代码", "figure"),
        new("指标", "label"), new("指标(英文)", "labelEn"), new("数值", "value"), new("周变化", "change"),
    ];

    public static readonly SheetName Figures = new("指标", "figures", "每项指标一行：地区合计及各县的数值与周变化");
    public static readonly SheetName LeftOut = new("未纳入县", "leftOut", "未计入合计的县及原因（无法连接、无本周报告、不在本服务）");

    public static IReadOnlyList<SheetName> Sheets { get; } = [Figures, LeftOut];

    /// <summary>The figures sheet's columns: the figure, the region's total, then each county (by name; its code in row 2).</summary>
    public static IReadOnlyList<SheetName> FigureColumns(IReadOnlyList<(string Code, string Name)> counties) =>
    [
        new("指标代码", "figure"), new("指标", "label"), new("指标(英文)", "labelEn"), new("合计", "total"), new("合计周变化", "totalChange"),
        .. counties.SelectMany(c => new SheetName[] { new(c.Name, c.Code), new($"{c.Name}周变化", $"{c.Code}Change") }),
    ];

    public static readonly IReadOnlyList<SheetName> LeftOutColumns =
    [
        new("县代码", "county"), new("名称", "name"), new("原因代码", "reason"), new("原因", "reasonLabel"), new("说明", "detail"),
    ];

    /// <summary>Why a county was left out, in the meeting's words.</summary>
    public static string Chinese(LeftOutReason reason) => reason switch
    {
        LeftOutReason.Unreachable => "无法连接",
        LeftOutReason.NoReport => "无本周报告",
        _ => "不在本服务",
    };

    /// <summary>The same in English.</summary>
    public static string English(LeftOutReason reason) => reason switch
    {
        LeftOutReason.Unreachable => "Unreachable",
        LeftOutReason.NoReport => "No report of the week",
        _ => "Not served here",
    };
}
