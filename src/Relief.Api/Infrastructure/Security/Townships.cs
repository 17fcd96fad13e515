namespace Relief.Api.Infrastructure.Security;

/// <summary>A township (乡镇) or sub-district (街道) of the county, from configuration.</summary>
public sealed record Township(string Code, string Name);

/// <summary>
/// A county's townships: the caller's county's own list in the county registry, else the list
/// configured under <c>Relief:Townships</c> (<see cref="ConfiguredTownships"/>). Endpoints are given
/// the caller's county's. Callers may name a township by its code (<c>mucheng</c>) or its Chinese name
/// (<c>木城街道</c>); Relief stores the code.
/// </summary>
public sealed class TownshipDirectory(IEnumerable<Township> townships)
{
    private readonly List<Township> _all = townships.ToList();

    public IReadOnlyList<Township> All => _all;

    public Township? Find(string? codeOrName) =>
        string.IsNullOrWhiteSpace(codeOrName)
            ? null
            : _all.FirstOrDefault(t => t.Code.Equals(codeOrName.Trim(), StringComparison.OrdinalIgnoreCase)
                                       || t.Name == codeOrName.Trim());

    public string NameOf(string code) => _all.FirstOrDefault(t => t.Code == code)?.Name ?? code;
}

/// <summary>
/// The townships of <c>Relief:Townships</c>: those of every county without a list of its own (every
/// county unless the county registry gives it one), and of work done for no caller.
/// </summary>
public sealed record ConfiguredTownships(TownshipDirectory Directory);
