using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Wolverine;

namespace Relief.Api.Tests.Support;

/// <summary>
/// A Relief host of its own in Development on <c>ConnectionStrings:Marten</c> = a database of its own:
/// the test hosts' settings, the shared fixture's fake clock, Wolverine in solo mode (which runs every
/// projection agent, the async daemon's, on this one node).
/// For hosts whose configuration the tests shape (a county registry, one county before a move).
/// </summary>
public static class SoloHost
{
    public static async Task<IAlbaHost> StartAsync(string connection, Action<IWebHostBuilder>? configure = null) =>
        await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Marten", connection);
            configure?.Invoke(builder);
            AppFixture.UseTestHostSettings(builder, receivers: null);
            // Marten's own daemon here (Solo): tests build daemons of their own to catch up (NodeSharing.IsOn).
            builder.UseSetting("Relief:NodeSharing:Enabled", "false");
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(new FakeTimeProvider(AppFixture.Start));
                services.RunWolverineInSoloMode();
            });
        });
}
