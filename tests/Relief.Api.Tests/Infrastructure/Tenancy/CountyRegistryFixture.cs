using Alba;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// A Relief host whose counties are data: the county registry on (Marten's master table in its
/// main database) and no county in it at the start. Each county a test adds has an empty database
/// ready beside the registry's (Relief does not create databases), and a poverty office key
/// configured for it before it exists (<see cref="KeyOf"/>): 403 until the county is added.
/// </summary>
public sealed class CountyRegistryFixture : IAsyncLifetime
{
    /// <summary>The counties the tests add, one per test: 温县, 孟州市, 沁阳市, 修武县, 解放区, 马村区.</summary>
    public static readonly string[] Codes = ["410825", "410883", "410882", "410821", "410802", "410804"];

    /// <summary>A region's key (<c>reports:region</c>) whose region is 马村区 (410804) alone.</summary>
    public const string MacunRegionKey = "region-410804-0b9d";

    /// <summary>解放区 (410802) has a personal-data key ring of its own, whose master key is <see cref="OwnMasterKeyId"/>.</summary>
    public const string OwnRingCounty = "410802";

    public const string OwnMasterKeyId = "jiefang-1";

    /// <summary>Township keys configured for 修武县 (410821): one of its own townships, one of <c>Relief:Townships</c> only.</summary>
    public static readonly string[] XiuwuTownships = ["zhoucun", "mucheng"];

    public IAlbaHost Host { get; private set; } = null!;

    public static string MainConnection => TestDatabases.Named("registry_main");

    public static string ConnectionOf(string county) => TestDatabases.Named("registry_" + county);

    public static string DatabaseNameOf(string county) => TestDatabases.NameOf(ConnectionOf(county));

    /// <summary>The poverty office key of a county (configured by its hash, naming the county).</summary>
    public static string KeyOf(string county) => $"office-{county}-5e1b";

    /// <summary>The key of a township office of a county (configured by its hash, naming the county and the township).</summary>
    public static string TownshipKeyOf(string county, string township) => $"township-{county}-{township}-77c2";

    public async Task InitializeAsync()
    {
        // A fresh registry and fresh county databases each run: the registry is what the tests change.
        foreach (var connection in Codes.Select(ConnectionOf).Prepend(MainConnection)) await TestDatabases.Recreate(connection);

        Host = await SoloHost.StartAsync(MainConnection, builder =>
        {
            builder.UseSetting("Relief:CountyRegistry:Enabled", "true");
            for (var i = 0; i < Codes.Length; i++)
            {
                var prefix = $"Relief:ApiKeys:{i}:";
                builder.UseSetting(prefix + "Name", KeyOf(Codes[i]));
                builder.UseSetting(prefix + "Hash", ApiKeyRegistry.HashOf(KeyOf(Codes[i])));
                builder.UseSetting(prefix + "Department", nameof(Department.PovertyAlleviationOffice));
                builder.UseSetting(prefix + "County", Codes[i]);
                for (var s = 0; s < Scopes.County.Count; s++) builder.UseSetting($"{prefix}Scopes:{s}", Scopes.County[s]);
            }

            for (var i = 0; i < XiuwuTownships.Length; i++)
            {
                var prefix = $"Relief:ApiKeys:{Codes.Length + i}:";
                var key = TownshipKeyOf("410821", XiuwuTownships[i]);
                builder.UseSetting(prefix + "Name", key);
                builder.UseSetting(prefix + "Hash", ApiKeyRegistry.HashOf(key));
                builder.UseSetting(prefix + "Department", nameof(Department.Township));
                builder.UseSetting(prefix + "Township", XiuwuTownships[i]);
                builder.UseSetting(prefix + "County", "410821");
                builder.UseSetting(prefix + "Scopes:0", Scopes.HouseholdsRead);
                builder.UseSetting(prefix + "Scopes:1", Scopes.HouseholdsWrite);
            }

            var region = $"Relief:ApiKeys:{Codes.Length + XiuwuTownships.Length}:";
            builder.UseSetting(region + "Name", MacunRegionKey);
            builder.UseSetting(region + "Hash", ApiKeyRegistry.HashOf(MacunRegionKey));
            builder.UseSetting(region + "Department", nameof(Department.PovertyAlleviationOffice));
            builder.UseSetting(region + "Region", "410804");
            builder.UseSetting(region + "Scopes:0", Scopes.RegionReports);

            var ring = $"Relief:PersonalData:Counties:{OwnRingCounty}:";
            builder.UseSetting(ring + "CurrentMasterKeyId", OwnMasterKeyId);
            builder.UseSetting(ring + "MasterKeys:" + OwnMasterKeyId, Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));
            builder.UseSetting(ring + "IndexKey", Convert.ToBase64String(Enumerable.Repeat((byte)9, 32).ToArray()));
        });
    }


    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }


}

[CollectionDefinition(Name)]
public sealed class CountyRegistryCollection : ICollectionFixture<CountyRegistryFixture>
{
    public const string Name = "county registry";
}
