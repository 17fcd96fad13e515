using System.Text.RegularExpressions;

namespace Relief.Api.Infrastructure.Security;

/// <summary>
/// What every credential (an API key or a bearer token) must say of its holder before Relief accepts
/// it: a known department; for a township, which of the county's townships; for a department with
/// several members (the banks), which member (its organisation code). A credential that does not is
/// refused at authentication (401), and a configured key that does not stops the start, so no rule
/// further down ever meets a township caller without a township, or a bank that is every bank.
/// </summary>
public static partial class Credentials
{
    /// <summary>Departments with several members: their credentials name their organisation.</summary>
    public static bool NeedsOrganisation(Department department) => department == Department.Bank;

    /// <summary>
    /// Why a credential with these claims is refused, or null when it is acceptable. Without
    /// <paramref name="townships"/> (the county registry's, where each county has its own) the
    /// township's code is checked later, against the caller's county (<see cref="RefusalIn"/>).
    /// </summary>
    public static string? Refusal(string? department, string? township, string? organisation, TownshipDirectory? townships)
    {
        if (!Enum.TryParse<Department>(department, ignoreCase: false, out var d) || !Enum.IsDefined(d) || char.IsDigit(department![0]))
            return $"The credential names no known department ('{department}'); one of {string.Join(", ", Enum.GetNames<Department>())}.";

        if (d == Department.Township && string.IsNullOrWhiteSpace(township))
            return $"A township's credential must name its township (the '{ReliefClaims.Township}' claim or the key's Township).";

        if (township is not null && townships is not null && RefusalIn(township, townships) is { } refusal)
            return refusal;

        if (NeedsOrganisation(d) && string.IsNullOrWhiteSpace(organisation))
            return $"A {d} credential must name which {d} it is (the '{ReliefClaims.Organisation}' claim or the key's Organisation).";

        if (organisation is not null && !OrganisationCode().IsMatch(organisation))
            return $"The organisation '{organisation}' is not a code of 1 to 64 letters, digits, '.', '_' or '-'.";

        return null;
    }

    /// <summary>
    /// Why a credential's region is refused, or null when it is acceptable: a region's credential
    /// (<see cref="ReliefClaims.Region"/>) holds <see cref="Scopes.RegionReports"/> and no county's scope, and
    /// names no county and no township, so it can read the region's figures and no county's records; and
    /// <see cref="Scopes.RegionReports"/> is held by a region's credential only.
    /// </summary>
    public static string? RegionRefusal(string? region, string? county, string? township, IReadOnlyCollection<string> scopes)
    {
        if (region is null)
        {
            return scopes.Contains(Scopes.RegionReports)
                ? $"The scope {Scopes.RegionReports} is a region's: the credential must name its region (the '{ReliefClaims.Region}' claim or the key's Region)."
                : null;
        }

        if (Tenancy.Region.Parse(region, out var refusal) is null) return refusal;
        if (county is not null) return "A region's credential names no county: it reads the roll-ups of its region's counties, no county's records.";
        if (township is not null) return "A region's credential names no township.";
        if (!scopes.Contains(Scopes.RegionReports)) return $"A region's credential holds the scope {Scopes.RegionReports}.";
        var countyScope = scopes.FirstOrDefault(s => !Scopes.AboveCounty.Contains(s));
        return countyScope is null
            ? null
            : $"A region's credential holds no county's scope ('{countyScope}'): it reads figures only, never a county's records.";
    }

    /// <summary>Why a credential bound to <paramref name="township"/> is refused in a county with these townships, or null.</summary>
    public static string? RefusalIn(string township, TownshipDirectory townships) =>
        townships.Find(township)?.Code == township
            ? null
            : $"The credential is bound to the township '{township}', which is not one of the county's township codes.";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex OrganisationCode();
}

/// <summary>A credential that authenticated but says too little of its holder; its message is the 401's detail.</summary>
public sealed class CredentialRefusedException(string message) : Exception(message);
