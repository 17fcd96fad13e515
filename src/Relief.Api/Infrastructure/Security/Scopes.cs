namespace Relief.Api.Infrastructure.Security;

/// <summary>
/// What a caller may do. Each route requires one scope; API keys and tokens carry a set of them.
/// Write scopes are per area so that a department system holds only what its work needs.
/// </summary>
public static class Scopes
{
    public const string HouseholdsRead = "households:read";
    public const string HouseholdsWrite = "households:write";
    public const string CareWrite = "care:write";
    public const string CentresWrite = "centres:write";
    public const string PoliciesWrite = "policies:write";
    public const string SupervisionWrite = "supervision:write";
    public const string ReportsRead = "reports:read";
    public const string AuditRead = "audit:read";
    public const string PiiRead = "pii:read";
    public const string Admin = "admin";

    /// <summary>Adding, listing and retiring counties in the county registry: a province's, never a county's.</summary>
    public const string CountiesAdmin = "counties:admin";

    /// <summary>
    /// Reading the roll-ups of a region (a city such as 焦作, a province such as Henan): the figures of
    /// every county of the credential's <see cref="ReliefClaims.Region"/>, never a county's own records.
    /// A region's, never a county's: <see cref="Admin"/> does not hold it.
    /// </summary>
    public const string RegionReports = "reports:region";

    /// <summary>Subscribing the caller's own department to webhook notifications.</summary>
    public const string NotificationsManage = "notifications:manage";

    public static IReadOnlyList<string> All { get; } =
    [
        HouseholdsRead, HouseholdsWrite, CareWrite, CentresWrite, PoliciesWrite, SupervisionWrite,
        ReportsRead, AuditRead, PiiRead, Admin, NotificationsManage, CountiesAdmin, RegionReports,
    ];

    /// <summary>The scopes above any one county (the province's registry, a region's roll-ups): <see cref="Admin"/> holds none of them.</summary>
    public static IReadOnlyList<string> AboveCounty { get; } = [CountiesAdmin, RegionReports];

    /// <summary>Every scope a county's own systems may hold: all but those above a county (<see cref="AboveCounty"/>).</summary>
    public static IReadOnlyList<string> County { get; } = [.. All.Except(AboveCounty)];

    /// <summary>Whether holding <paramref name="held"/> grants <paramref name="required"/>: the same scope, or admin for a county's scope.</summary>
    public static bool Grants(string held, string required) =>
        held == required || (held == Admin && !AboveCounty.Contains(required));
}

/// <summary>The claim types Relief reads from API keys and bearer tokens.</summary>
public static class ReliefClaims
{
    public const string Scope = "scope";
    public const string Department = "department";
    public const string Township = "township";
    public const string Subject = "sub";
    public const string Credential = "credential";

    /// <summary>The county whose data the caller reads and writes (its code, e.g. 410823).</summary>
    public const string County = "county";

    /// <summary>
    /// The counties a region's credential reads the roll-ups of (<see cref="Scopes.RegionReports"/>): county-code
    /// prefixes (<c>41</c> Henan, <c>4108</c> 焦作) or county codes (<c>410823</c>), separated by spaces or commas
    /// (<see cref="Tenancy.Region"/>). A credential naming a region belongs to no county.
    /// </summary>
    public const string Region = "region";

    /// <summary>
    /// The member of a department with several (which bank): required where
    /// <see cref="Credentials.NeedsOrganisation"/> says so, e.g. <c>rural-commercial-bank</c>.
    /// </summary>
    public const string Organisation = "org";
}

/// <summary>The organisations whose systems write to Relief.</summary>
public enum Department
{
    /// <summary>扶贫办, the lead office.</summary>
    PovertyAlleviationOffice,
    /// <summary>人社: human resources and social security.</summary>
    HumanResourcesAndSocialSecurity,
    /// <summary>医保: medical security.</summary>
    MedicalSecurity,
    /// <summary>卫健: health commission.</summary>
    HealthCommission,
    /// <summary>民政: civil affairs.</summary>
    CivilAffairs,
    /// <summary>残联: disabled persons' federation.</summary>
    DisabledPersonsFederation,
    /// <summary>慈善总会: charity federation.</summary>
    CharityFederation,
    /// <summary>A cooperating bank.</summary>
    Bank,
    /// <summary>A township (乡镇/街道) government, bound to its own households.</summary>
    Township,
    /// <summary>Auditors and report readers: no department writes.</summary>
    Audit,
}
