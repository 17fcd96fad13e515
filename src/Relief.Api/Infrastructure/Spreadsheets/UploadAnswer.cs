using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.OpenApi;

namespace Relief.Api.Infrastructure.Spreadsheets;

/// <summary>One row an upload wrote: its spreadsheet row, the record it made and where to read it, and the stream's version after the write.</summary>
public sealed record UploadedRow
{
    public UploadedRow(int row, Guid id, string url, Guid stream) => (Row, Id, Url, Stream) = (row, id, url, stream);

    /// <summary>The row number as the spreadsheet program shows it (row 1 is the header row).</summary>
    public int Row { get; }

    /// <summary>The record the row made or changed: a household, a member, a policy case.</summary>
    public Guid Id { get; }

    /// <summary>The version of the stream the row wrote to (the household's, the case's) once the upload is committed.</summary>
    public int Version { get; init; }

    public string Url { get; }

    /// <summary>The stream the row wrote to.</summary>
    [JsonIgnore]
    public Guid Stream { get; }
}

/// <summary>What an upload that was written answers: every row, in the spreadsheet's order, with what it wrote.</summary>
public sealed record UploadAnswer(string Kind, int Count, IReadOnlyList<UploadedRow> Rows)
    : IStreamVersioned<UploadAnswer>, IHasExample<UploadAnswer>
{
    public static UploadAnswer Example { get; } = new("households", 1,
        [new UploadedRow(3, ExampleIds.Household, $"/api/households/{ExampleIds.Household}", ExampleIds.Household) { Version = 1 }]);

    public UploadAnswer WithVersions(StreamVersions streams) =>
        this with { Rows = Rows.Select(r => r with { Version = streams.Of(r.Stream) }).ToList() };

    /// <summary>The answer of a written upload: row <c>i</c> of the sheet wrote record <c>i</c> of the batch.</summary>
    public static UploadAnswer Of(SheetRead sheet, IReadOnlyList<(Guid Id, string Url, Guid Stream)> written) =>
        new(sheet.Template.Kind, written.Count, written.Select((w, i) => new UploadedRow(sheet.Rows[i].Number, w.Id, w.Url, w.Stream)).ToList());
}

/// <summary>A refused field of a row: the spreadsheet's column (its Chinese header) and the API field, and what is wrong.</summary>
public sealed record RowError(int Row, string? Column, string Field, string Message);

/// <summary>A row's outcome in a refused upload: <c>Refused</c> with its own problem and errors, or <c>Valid</c> but not written.</summary>
public sealed record RowOutcome(int Row, string Outcome, int? Status = null, string? Type = null, string? Detail = null,
    IReadOnlyList<RowError>? Errors = null);

/// <summary>
/// An upload goes through its kind's JSON batch, record by record: this turns the batch's answer back
/// into the spreadsheet's terms. Any refused row, whether a cell could not be read or the batch refused
/// the record, refuses the upload with a 422 <see cref="ProblemTypes.UploadRefused"/> that lists every
/// row's outcome (<c>rows</c>) and every field error (<c>errors</c>) with the row number, the column
/// and the API field.
/// </summary>
public static class UploadRefusal
{
    /// <summary>The upload's problem, or Wolverine's "no problems" when every row can be written.</summary>
    /// <param name="sheet">The rows read.</param>
    /// <param name="batch">What the kind's batch <c>Validate</c> answered for the records made of the rows.</param>
    /// <param name="prefix">The batch's list (<c>households</c>): its field errors are <c>households[3].village</c>.</param>
    public static ProblemDetails Of(SheetRead sheet, ProblemDetails batch, string prefix)
    {
        var cellErrors = sheet.Rows.Any(r => r.Errors.Count > 0);
        var batchRefused = !ReferenceEquals(batch, Wolverine.Http.WolverineContinue.NoProblems);
        if (!cellErrors && !batchRefused) return Wolverine.Http.WolverineContinue.NoProblems;

        var records = BatchProblem.OutcomesOf(batch);
        if (batchRefused && records.Count == 0) return batch; // about the batch as a whole, not a record

        var outcomes = new List<RowOutcome>();
        for (var i = 0; i < sheet.Rows.Count; i++)
        {
            var row = sheet.Rows[i];
            var record = records.FirstOrDefault(r => r.Index == i);
            var recordPrefix = $"{prefix}[{i}].";
            var errors = row.Errors.SelectMany(e => e.Value.Select(m => Error(sheet.Template, row.Number, e.Key, m))).ToList();
            foreach (var (key, messages) in record?.Errors ?? new Dictionary<string, string[]>())
            {
                var field = key.StartsWith(recordPrefix, StringComparison.Ordinal) ? key[recordPrefix.Length..] : key;
                // A cell that could not be read was sent as empty: its "is required" is not the news.
                if (row.Errors.ContainsKey(field)) continue;
                errors.AddRange(messages.Select(m => Error(sheet.Template, row.Number, field, m)));
            }

            var refused = row.Errors.Count > 0 || record?.Outcome == RecordOutcome.Refused;
            outcomes.Add(!refused
                ? new RowOutcome(row.Number, RecordOutcome.Valid)
                : record?.Outcome == RecordOutcome.Refused
                    ? new RowOutcome(row.Number, RecordOutcome.Refused, record.Status, record.Type, record.Detail, errors)
                    : new RowOutcome(row.Number, RecordOutcome.Refused, StatusCodes.Status400BadRequest, ProblemTypes.Validation,
                        "See errors for each cell.", errors));
        }

        var refusedRows = outcomes.Where(o => o.Outcome == RecordOutcome.Refused).ToList();
        var problem = new ProblemDetails
        {
            Type = ProblemTypes.UploadRefused,
            Title = "The upload was refused; nothing was written.",
            Status = StatusCodes.Status422UnprocessableEntity,
            Detail = $"{refusedRows.Count} of {outcomes.Count} rows were refused (the first is row {refusedRows[0].Row}); "
                     + "see rows for each row's outcome and errors for each cell, fix them and upload the whole file again.",
        };
        problem.Extensions["errors"] = refusedRows.SelectMany(o => o.Errors ?? []).ToList();
        problem.Extensions["rows"] = outcomes;
        return problem;
    }

    private static RowError Error(SheetTemplate template, int row, string field, string message) =>
        new(row, template.ColumnOf(field)?.Header, field, message);
}
