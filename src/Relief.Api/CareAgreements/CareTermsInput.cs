using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.Errors;

namespace Relief.Api.CareAgreements;

/// <summary>An asset clause as sent.</summary>
public sealed record AssetClauseInput(
    [property: Required, MaxLength(AssetClauseInput.MaxAssetLength)] string? Asset,
    [property: Required, MaxLength(AssetClauseInput.MaxProvisionLength)] string? Provision)
{
    public const int MaxAssetLength = 100;
    public const int MaxProvisionLength = 500;
}

/// <summary>Terms as sent: start (required), end or open-ended, duties, monthly subsidy, asset clauses.</summary>
public sealed record CareTermsInput(
    [property: Required] DateOnly? StartsOn,
    DateOnly? EndsOn,
    [property: Required, MinLength(1), MaxLength(CareTermsInput.MaxDuties)] IReadOnlyList<string>? Duties,
    decimal? MonthlySubsidy,
    IReadOnlyList<AssetClauseInput>? AssetClauses)
{
    public const int MaxDuties = 20;
    public const decimal MaxMonthlySubsidy = 100_000m;

    public void Validate(string prefix, FieldErrors errors)
    {
        if (StartsOn is null) errors.Add($"{prefix}startsOn", "is required.");
        if (EndsOn is not null && StartsOn is not null && EndsOn < StartsOn)
            errors.Add($"{prefix}endsOn", "must not be before startsOn.");
        var duties = Duties ?? [];
        if (duties.Count == 0) errors.Add($"{prefix}duties", "lists at least one duty of the caregiver.");
        if (duties.Count > MaxDuties) errors.Add($"{prefix}duties", $"lists at most {MaxDuties} duties.");
        for (var i = 0; i < duties.Count; i++) errors.RequireText($"{prefix}duties[{i}]", duties[i], 200);
        if (MonthlySubsidy is < 0 or > MaxMonthlySubsidy)
            errors.Add($"{prefix}monthlySubsidy", $"is 0 to {MaxMonthlySubsidy} yuan.");
        if (MonthlySubsidy is { } subsidy && decimal.Round(subsidy, 2) != subsidy)
            errors.Add($"{prefix}monthlySubsidy", "has at most two decimals (fen).");
        var clauses = AssetClauses ?? [];
        for (var i = 0; i < clauses.Count; i++)
        {
            errors.RequireText($"{prefix}assetClauses[{i}].asset", clauses[i]?.Asset, AssetClauseInput.MaxAssetLength);
            errors.RequireText($"{prefix}assetClauses[{i}].provision", clauses[i]?.Provision, AssetClauseInput.MaxProvisionLength);
        }
    }

    /// <summary>The terms as stored. Call only after <see cref="Validate"/> passed.</summary>
    public CareTerms ToTerms(DateOnly startsOn) => new(
        startsOn,
        EndsOn,
        (Duties ?? []).Select(d => d.Trim()).ToList(),
        MonthlySubsidy,
        (AssetClauses ?? []).Select(c => new AssetClause(c.Asset!.Trim(), c.Provision!.Trim())).ToList());
}
