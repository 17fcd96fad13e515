using System.Text.Json;
using Relief.Api.Infrastructure.Json;
using Relief.Api.Infrastructure.Spreadsheets;

namespace Relief.Api.Uploads;

/// <summary>The rows of a sheet as the records of the kind's JSON batch, bound as a JSON body is.</summary>
public static class SheetRecords
{
    /// <summary>Each row's record, in order; a row whose cells were all unreadable binds as an empty record, so the batch names what is missing.</summary>
    public static List<T?> Of<T>(SheetRead sheet) where T : class =>
        sheet.Rows.Select(row => row.Record.Deserialize<T>(ReliefJson.Api)).ToList();
}
