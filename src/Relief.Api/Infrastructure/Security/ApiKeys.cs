using System.Security.Cryptography;
using System.Text;


namespace Relief.Api.Infrastructure.Security;

/// <summary>One API key as configured: only the SHA-256 of the key is ever stored.</summary>
public sealed class ApiKeyOptions
{
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    public Department Department { get; set; }
    public string? Township { get; set; }

    /// <summary>Which member of the department holds the key (which bank): required for banks.</summary>
    public string? Organisation { get; set; }

    public List<string> Scopes { get; set; } = [];

    /// <summary>The county whose data the key reads and writes; none: the default county.</summary>
    public string? County { get; set; }

    /// <summary>
    /// For a city's or a province's key (<see cref="Scopes.RegionReports"/> only): the counties whose roll-ups
    /// it reads, as county-code prefixes or codes (<c>41</c>, <c>4108</c>, <c>410823 410822</c>; <see cref="Tenancy.Region"/>).
    /// Such a key belongs to no county.
    /// </summary>
    public string? Region { get; set; }
}

/// <summary>The API keys this deployment accepts, looked up by the hash of the presented key.</summary>
public sealed class ApiKeyRegistry
{
    private readonly Dictionary<string, ApiKeyOptions> _byHash;

    public ApiKeyRegistry(IEnumerable<ApiKeyOptions> keys)
    {
        _byHash = keys.ToDictionary(k => k.Hash.ToLowerInvariant(), StringComparer.Ordinal);
    }

    public ApiKeyOptions? Find(string presentedKey) =>
        _byHash.GetValueOrDefault(HashOf(presentedKey));

    /// <summary>
    /// The key configured under this name, if it still is: a session opened with a key (the meeting's
    /// pages) lasts only as long as its key, and reads the key's scopes and township as they are now.
    /// </summary>
    public ApiKeyOptions? Named(string name) =>
        _byHash.Values.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));

    /// <summary>The hex SHA-256 of a key: what configuration holds instead of the key.</summary>
    public static string HashOf(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>
/// The keys that exist in Development and tests only, each named after its holder; their plain
/// values are public (the README lists them), so they are never accepted in any other environment.
/// </summary>
public static class DevelopmentKeys
{
    private static readonly string[] DepartmentWrite = [Scopes.HouseholdsRead, Scopes.PoliciesWrite, Scopes.NotificationsManage];

    public static IEnumerable<ApiKeyOptions> For(IEnumerable<Township> townships)
    {
        yield return Key("dev-poverty-office", Department.PovertyAlleviationOffice, null, Scopes.County);
        yield return Key("dev-hrss", Department.HumanResourcesAndSocialSecurity, null, DepartmentWrite);
        yield return Key("dev-medical-security", Department.MedicalSecurity, null, DepartmentWrite);
        yield return Key("dev-health", Department.HealthCommission, null, DepartmentWrite);
        yield return Key("dev-civil-affairs", Department.CivilAffairs, null,
            [.. DepartmentWrite, Scopes.CareWrite, Scopes.CentresWrite]);
        yield return Key("dev-dpf", Department.DisabledPersonsFederation, null, [.. DepartmentWrite, Scopes.CentresWrite]);
        yield return Key("dev-charity", Department.CharityFederation, null, DepartmentWrite);
        // Three banks, each its own organisation: one bank's loans and webhooks are not another's.
        yield return Key("dev-bank", Department.Bank, null, DepartmentWrite, organisation: "bank");
        yield return Key("dev-bank-a", Department.Bank, null, DepartmentWrite, organisation: "bank-a");
        yield return Key("dev-bank-b", Department.Bank, null, DepartmentWrite, organisation: "bank-b");
        yield return Key("dev-auditor", Department.Audit, null, [Scopes.AuditRead, Scopes.ReportsRead, Scopes.HouseholdsRead]);
        yield return Key("dev-reports", Department.Audit, null, [Scopes.ReportsRead]);
        // The province's registry administrator: adds and retires counties, reads no county's data.
        yield return Key("dev-province", Department.PovertyAlleviationOffice, null, [Scopes.CountiesAdmin]);
        // A province's and a city's roll-up readers (Henan, 焦作): every county's figures, no county's records.
        yield return Key("dev-henan", Department.PovertyAlleviationOffice, null, [Scopes.RegionReports], region: "41");
        yield return Key("dev-jiaozuo", Department.PovertyAlleviationOffice, null, [Scopes.RegionReports], region: "4108");
        foreach (var township in townships)
        {
            yield return Key($"dev-township-{township.Code}", Department.Township, township.Code,
                [Scopes.HouseholdsRead, Scopes.HouseholdsWrite, Scopes.CareWrite, Scopes.PoliciesWrite, Scopes.SupervisionWrite,
                Scopes.NotificationsManage]);
        }
    }

    private static ApiKeyOptions Key(string name, Department department, string? township, IEnumerable<string> scopes,
        string? organisation = null, string? region = null) =>
        new()
        {
            Name = name, Hash = ApiKeyRegistry.HashOf(name), Department = department, Township = township,
            Organisation = organisation, Scopes = [.. scopes], Region = region,
        };
}
