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

    /// <summary>
    /// Every item of one of a report's lists (<c>overdueCases</c>, <c>householdsWithoutAgreement</c>),
    /// read by following the report's link page after page (<paramref name="limit"/> items a page).
    /// </summary>
    public async Task<List<JsonElement>> WeeklyDispatchList(JsonElement report, string list, string key = Keys.Reports, int limit = 50)
    {
        var href = report.GetProperty(list).GetProperty("href").GetString()!;
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await Send(HttpMethod.Get, $"{href}?limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"), null, key);
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return items;
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

    /// <summary>How many items a list of the report (<c>overdueCases</c>, <c>householdsWithoutAgreement</c>) shows.</summary>
    public static int Listed(this JsonElement report, string list) => report.GetProperty(list).GetProperty("count").GetInt32();

    private static (int, int) Figure(JsonElement figure) =>
        (figure.GetProperty("value").GetInt32(), figure.GetProperty("change").GetInt32());
}
