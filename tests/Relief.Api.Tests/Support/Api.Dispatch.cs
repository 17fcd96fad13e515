using System.Text.Json;
using Marten.Events;

namespace Relief.Api.Tests.Support;

public sealed partial class Api
{
    /// <summary>Runs every async projection (the weekly dispatch report among them) up to the last event recorded.</summary>
    public async Task ProjectionsCaughtUp() =>
        await Host.ForceAllMartenDaemonActivityToCatchUpAsync(CancellationToken.None);

    /// <summary>The weekly dispatch report of a week (<c>2020-W40</c>) or <c>latest</c>, once the projections caught up.</summary>
    public async Task<JsonElement> WeeklyDispatch(string week = "latest", string key = Keys.Reports)
    {
        await ProjectionsCaughtUp();
        return await Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{week}", null, key);
    }
}

/// <summary>Reading the report's figures.</summary>
public static class DispatchJson
{
    /// <summary>The (value, change) of a county figure.</summary>
    public static (int Value, int Change) County(this JsonElement report, string metric) =>
        Figure(report.GetProperty("county").GetProperty(metric));

    /// <summary>The (value, change) of a township's figure.</summary>
    public static (int Value, int Change) Township(this JsonElement report, string township, string metric) =>
        Figure(report.GetProperty("townships").EnumerateArray().Single(t => t.GetProperty("township").GetString() == township)
            .GetProperty(metric));

    private static (int, int) Figure(JsonElement figure) =>
        (figure.GetProperty("value").GetInt32(), figure.GetProperty("change").GetInt32());
}
