using Microsoft.AspNetCore.Mvc;

namespace Relief.Api.Infrastructure.Errors;

/// <summary>Collects field-level errors for a 400 problem.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Required, not blank, at most <paramref name="maxLength"/> characters.</summary>
    public void RequireText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required.");
        else OptionalText(field, value, maxLength);
    }

    /// <summary>At most <paramref name="maxLength"/> characters, when given.</summary>
    public void OptionalText(string field, string? value, int maxLength)
    {
        if (value is not null && value.Trim().Length > maxLength) Add(field, $"is at most {maxLength} characters.");
    }

    /// <summary>The 400 problem, or Wolverine's "no problems" when there is nothing to report.</summary>
    public ProblemDetails ToProblem() =>
        Any
            ? Problems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
            : Wolverine.Http.WolverineContinue.NoProblems;
}
