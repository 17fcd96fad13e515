using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// The runtime settings the service ships with (its runtimeconfig.json, built from Relief.Api.csproj),
/// each measured in docs/performance.md: dropping one puts its cost back on the cores PostgreSQL shares.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static readonly JsonNode Settings = JsonNode.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Relief.Api.runtimeconfig.json")))!["runtimeOptions"]!["configProperties"]!;

    [Fact]
    public void Idle_thread_pool_workers_sleep_at_once_instead_of_spinning()
    {
        Assert.Equal(0, Settings["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]?.GetValue<int>());
    }

    [Fact]
    public void Dynamic_PGO_stays_off()
    {
        Assert.False(Settings["System.Runtime.TieredPGO"]?.GetValue<bool>());
    }
}
