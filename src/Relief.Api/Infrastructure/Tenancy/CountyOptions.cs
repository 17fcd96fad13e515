using System.Text.RegularExpressions;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>
/// One county as configured under <c>Relief:Counties</c>: its six-digit administrative code, and
/// where its database is. Without <see cref="ConnectionString"/> or <see cref="Database"/> the
/// county's database is <c>ConnectionStrings:Marten</c>'s database name followed by <c>_</c> and the code,
/// on the same server.
/// </summary>
public sealed class CountyOptions
{
    public string Code { get; set; } = "";
    public string? Name { get; set; }
    public string? ConnectionString { get; set; }
    public string? Database { get; set; }
}

/// <summary>
/// The counties this Relief serves, read from configuration once. With none configured Relief
/// serves one county, <see cref="DefaultCode"/> (Wuzhi), whose database is <c>ConnectionStrings:Marten</c>
/// itself, exactly as before counties existed. With counties configured, each has a database of its
/// own (Marten's database-per-tenant, the county code being the tenant id), the first is the
/// default county, and <c>ConnectionStrings:Marten</c> is Wolverine's main database only (its nodes and
/// tenant-neutral messages).
/// </summary>
public sealed partial class CountyDirectory
{
    /// <summary>Wuzhi county (武陟县), the county Relief was built for.</summary>
    public const string DefaultCode = "410823";

    public const string Section = "Relief:Counties";

    private CountyDirectory(IReadOnlyList<CountyOptions> counties, bool several, string mainConnectionString,
        CountyRegistryOptions? registry = null)
    {
        Counties = counties;
        IsMultiCounty = several;
        MainConnectionString = mainConnectionString;
        IsRegistry = registry is not null;
        RegistryDefault = registry?.DefaultCounty;
    }

    /// <summary>
    /// Whether the counties are data: Marten's master table in <c>ConnectionStrings:Marten</c>, added
    /// and retired at run time (<see cref="CountyRegistry"/>), rather than <see cref="Section"/>.
    /// </summary>
    public bool IsRegistry { get; }

    /// <summary>With the registry, the county of a credential that names none (none: such a credential is refused).</summary>
    public string? RegistryDefault { get; }

    public static bool IsCountyCode(string code) => CountyCode().IsMatch(code);

    /// <summary>
    /// Where a county's database is, in order: its connection string; its database on the main
    /// database's server; else the main database's name followed by <c>_</c> and its code, there.
    /// </summary>
    public static string ConnectionStringFor(string main, string code, string? database, string? connectionString)
    {
        if (!string.IsNullOrWhiteSpace(connectionString)) return connectionString;
        var builder = new NpgsqlConnectionStringBuilder(main);
        builder.Database = string.IsNullOrWhiteSpace(database) ? $"{builder.Database}_{code}" : database;
        return builder.ConnectionString;
    }

    /// <summary>The counties, the default first.</summary>
    public IReadOnlyList<CountyOptions> Counties { get; }

    /// <summary>Whether counties are configured (a database each) rather than the one database of old.</summary>
    public bool IsMultiCounty { get; }

    /// <summary><c>ConnectionStrings:Marten</c>: the only database, or Wolverine's main database.</summary>
    public string MainConnectionString { get; }

    public CountyOptions Default => Counties[0];

    public bool Knows(string code) => Counties.Any(c => c.Code == code);

    /// <summary>The connection string of a county's database.</summary>
    public string ConnectionStringOf(CountyOptions county)
    {
        if (!IsMultiCounty) return MainConnectionString;
        return ConnectionStringFor(MainConnectionString, county.Code, county.Database, county.ConnectionString);
    }

    /// <summary>The codes of the counties served (the default first), read without touching any database setting.</summary>
    public static IReadOnlyList<string> CodesFrom(IConfiguration configuration)
    {
        var configured = configuration.GetSection(Section).Get<List<CountyOptions>>() ?? [];
        return configured.Count == 0 ? [DefaultCode] : configured.Select(c => c.Code).ToList();
    }

    /// <summary>Whether the county registry is on (<c>Relief:CountyRegistry:Enabled</c>).</summary>
    public static bool RegistryIn(IConfiguration configuration) =>
        configuration.GetSection(CountyRegistryOptions.Section).Get<CountyRegistryOptions>()?.Enabled == true;

    public static CountyDirectory From(IConfiguration configuration)
    {
        var main = ReliefStore.ConnectionString(configuration);
        var configured = configuration.GetSection(Section).Get<List<CountyOptions>>() ?? [];
        var registry = configuration.GetSection(CountyRegistryOptions.Section).Get<CountyRegistryOptions>();
        if (registry?.Enabled == true)
        {
            if (configured.Count > 0)
            {
                throw new InvalidOperationException(
                    $"{Section} and {CountyRegistryOptions.Section} exclude each other: with the registry, counties are added " +
                    "with `counties add` or POST /api/counties (docs/operations.md §9).");
            }

            if (registry.DefaultCounty is { } code && !IsCountyCode(code))
            {
                throw new InvalidOperationException($"{CountyRegistryOptions.Section}:DefaultCounty: '{code}' is not a county code (six digits).");
            }

            return new CountyDirectory([], several: true, main, registry);
        }

        if (configured.Count == 0)
        {
            return new CountyDirectory([new CountyOptions { Code = DefaultCode, Name = "武陟县" }], several: false, main);
        }

        foreach (var county in configured)
        {
            if (!CountyCode().IsMatch(county.Code))
            {
                throw new InvalidOperationException(
                    $"{Section}: '{county.Code}' is not a county code (six digits, e.g. {DefaultCode}).");
            }
        }

        var duplicate = configured.GroupBy(c => c.Code).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"{Section}: county {duplicate.Key} is configured twice.");

        var directory = new CountyDirectory(configured, several: true, main);
        static string Where(NpgsqlConnectionStringBuilder b) => $"{b.Host}:{b.Port}/{b.Database}";
        var databases = configured.Select(c => (c.Code, Where: Where(new NpgsqlConnectionStringBuilder(directory.ConnectionStringOf(c))))).ToList();
        var shared = databases.GroupBy(d => d.Where).FirstOrDefault(g => g.Count() > 1);
        if (shared is not null)
        {
            throw new InvalidOperationException(
                $"{Section}: counties {string.Join(", ", shared.Select(d => d.Code))} name one database; each county needs its own.");
        }

        var onMain = databases.FirstOrDefault(d => d.Where == Where(new NpgsqlConnectionStringBuilder(main)));
        if (onMain.Code is not null)
        {
            throw new InvalidOperationException(
                $"{Section}: county {onMain.Code}'s database is ConnectionStrings:Marten, Wolverine's main database; give the county a database of its own.");
        }

        return directory;
    }

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex CountyCode();
}
