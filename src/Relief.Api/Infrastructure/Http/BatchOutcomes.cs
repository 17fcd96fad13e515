using Microsoft.AspNetCore.Mvc;

namespace Relief.Api.Infrastructure.Http;

/// <summary>One record's outcome in a refused batch: refused with its own problem, or valid but not written.</summary>
public sealed record RecordOutcome(int Index, string Outcome, int? Status = null, string? Type = null, string? Detail = null,
    IDictionary<string, string[]>? Errors = null)
{
    public const string Valid = "Valid";
    public const string Refused = "Refused";

    /// <summary>Record <paramref name="index"/> refused with <paramref name="problem"/>, its field errors under <paramref name="prefix"/> (<c>households[3].</c>).</summary>
    public static RecordOutcome RefusedWith(int index, ProblemDetails problem, string prefix) =>
        new(index, Refused, problem.Status, problem.Type, problem.Detail,
            (problem as ValidationProblemDetails)?.Errors.ToDictionary(e => prefix + e.Key, e => e.Value));
}

/// <summary>
/// The answer of a batch (JSON or spreadsheet) with a refused record: all or nothing, so the batch
/// is refused with the first refused record's status and type, every field error under the record's
/// path, and every record's outcome (<c>records</c>), so that the sender fixes them all at once.
/// </summary>
public static class BatchProblem
{
    /// <summary>Where the problem keeps its records' outcomes.</summary>
    public const string RecordsKey = "records";

    /// <summary>Nothing refused: Wolverine's "no problems"; else the batch's problem.</summary>
    public static ProblemDetails Of(IReadOnlyList<RecordOutcome> outcomes)
    {
        var refused = outcomes.Where(o => o.Outcome == RecordOutcome.Refused).ToList();
        if (refused.Count == 0) return Wolverine.Http.WolverineContinue.NoProblems;

        var first = refused[0];
        var batch = new ProblemDetails
        {
            Type = first.Type,
            Title = "The batch was refused; nothing was written.",
            Status = first.Status,
            Detail = $"{refused.Count} of {outcomes.Count} records were refused (the first is record {first.Index}); "
                     + "see records for each record's outcome, fix them and send the whole batch again.",
        };
        var errors = refused.Where(o => o.Errors is not null).SelectMany(o => o.Errors!)
            .ToDictionary(e => e.Key, e => e.Value);
        if (errors.Count > 0) batch.Extensions["errors"] = errors;
        batch.Extensions[RecordsKey] = outcomes;
        return batch;
    }

    /// <summary>The records' outcomes of a batch's problem (empty for a problem about the batch as a whole).</summary>
    public static IReadOnlyList<RecordOutcome> OutcomesOf(ProblemDetails problem) =>
        problem.Extensions.TryGetValue(RecordsKey, out var records) && records is IReadOnlyList<RecordOutcome> outcomes ? outcomes : [];
}
