using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Relief.Api.Tests.Support;

public sealed partial class Api
{
    /// <summary>Starts the async daemon and waits until every async projection (the audit chain) has caught up.</summary>
    public async Task AuditChainCaughtUp()
    {
        await AsyncDaemonRunning();
        await Host.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>GET as the auditor (or another key), asserting the status.</summary>
    public Task<JsonElement> Audit(string url, string key = Keys.Auditor, int expectedStatus = 200) =>
        Send(HttpMethod.Get, url, null, key, expectedStatus);

    /// <summary>Runs SQL on the test database directly (to tamper with what Relief stored).</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "A step of the scenario API, called as Api.Sql(...) like the others.")]
    public async Task<object?> Sql(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        return await command.ExecuteScalarAsync();
    }
}
