using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Tenancy;

namespace Relief.Api.Tests.Infrastructure.Tenancy;

/// <summary>
/// What keeps an idle county cheap (docs/capacity.md, idle cost): its daemon waits on the wake-up,
/// each county's on its own database, and its pool lets idle connections go.
/// </summary>
[Collection(CountiesCollection.Name)]
public sealed class CountyIdleCostTests(CountiesFixture fixture)
{
    private Counties Counties => fixture.Host.Services.GetRequiredService<Counties>();

    [Fact]
    public async Task Each_county_s_daemon_waits_on_the_wake_up_of_its_own_database()
    {
        var wakeup = fixture.Host.Services.GetRequiredService<DaemonWakeup>();
        var keys = Counties.All.Select(c => wakeup.KeyOf(Counties.DatabaseOf(c))).ToList();
        Assert.Equal(2, keys.Distinct().Count());

        // Tests catch projections up explicitly; running daemons are started here as a node starts them.
        var daemons = new List<JasperFx.Events.Daemon.IProjectionDaemon>();
        foreach (var county in Counties.All) daemons.Add(await fixture.Store.BuildProjectionDaemonAsync(county.TenantId));
        try
        {
            foreach (var daemon in daemons) await daemon.StartAllAsync();
            var watching = Task.WhenAll(keys.Select(wakeup.Watching));

            var placed = await watching.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(t => t.IsCompletedSuccessfully);
            Assert.True(placed, $"no high-water wait placed for {string.Join(", ", keys.Where(k => !wakeup.Watching(k).IsCompleted))}");
        }
        finally
        {
            foreach (var daemon in daemons)
            {
                await daemon.StopAllAsync();
                daemon.Dispose();
            }
        }
    }

    [Fact]
    public void A_county_s_pool_closes_connections_idle_for_10_s()
    {
        Assert.All(Counties.All, county =>
        {
            var pool = new NpgsqlConnectionStringBuilder(county.DataSource.ConnectionString);
            Assert.Equal(10, pool.ConnectionIdleLifetime);
            Assert.Equal(5, pool.ConnectionPruningInterval);
        });
    }
}
