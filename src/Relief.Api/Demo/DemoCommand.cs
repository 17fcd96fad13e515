using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.Report;
using Relief.Api.Infrastructure.Tenancy;
using Relief.Core.Calendar;

namespace Relief.Api.Demo;

/// <summary>The options of <c>dotnet run -- demo</c>.</summary>
public sealed class DemoInput : NetCoreInput
{
    [Description("Wipe every event and document of this database first (Development only)")]
    public bool ResetFlag { get; set; }
}

/// <summary>
/// <c>dotnet run -- demo</c>: starts the API on a private loopback port, with its clock moved by the
/// demo through 2020, builds the demo county through it (<see cref="DemoCounty"/>) with a progress bar,
/// waits for the weekly dispatch report to count everything, and prints the latest report's figures.
/// </summary>
[Description("Build the demo county (465 households, April–October 2020) through the API", Name = "demo")]
public sealed class DemoCommand : JasperFxAsyncCommand<DemoInput>
{
    /// <summary>Whether this run of the program is the demo command (which then gets a <see cref="DemoClock"/>).</summary>
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0].Equals("demo", StringComparison.OrdinalIgnoreCase);

    /// <summary>The clock the program runs on: the demo's own, or the system's.</summary>
    public static TimeProvider ClockFor(string[] args) =>
        IsRequested(args) ? new DemoClock(new DateTimeOffset(2020, 4, 1, 0, 0, 0, TimeSpan.Zero)) : TimeProvider.System;

    /// <summary>
    /// Why the demo must not run here, or null: only in Development (it uses the development API keys),
    /// and only on a database without events (it builds a county from nothing; --reset wipes first).
    /// </summary>
    public static string? Refusal(IHostEnvironment environment, bool databaseHoldsEvents) =>
        !environment.IsDevelopment()
            ? $"The demo runs in Development only (this is {environment.EnvironmentName}): it uses the development API keys."
            : databaseHoldsEvents
                ? "The database already holds events: the demo builds a county from nothing. Run it on a fresh database, or add --reset to wipe this one."
                : null;

    public override async Task<bool> Execute(DemoInput input)
    {
        using var host = input.BuildHost();
        var environment = host.Services.GetRequiredService<IHostEnvironment>();
        if (Refusal(environment, databaseHoldsEvents: false) is { } wrongEnvironment)
        {
            await Console.Error.WriteLineAsync(wrongEnvironment);
            return false;
        }

        if (host.Services.GetRequiredService<TimeProvider>() is not DemoClock clock)
            throw new InvalidOperationException("The demo needs the DemoClock (Program.cs: DemoCommand.ClockFor).");

        var store = host.Services.GetRequiredService<IDocumentStore>();
        // The development keys the demo calls with belong to the default county: it fills that one.
        var counties = host.Services.GetRequiredService<Counties>();
        if (input.ResetFlag) await store.Advanced.ResetAllData();
        await using (var session = counties.QuerySession(counties.Default))
        {
            if (Refusal(environment, await session.Events.QueryAllRawEvents().AnyAsync()) is { } notEmpty)
            {
                await Console.Error.WriteLineAsync(notEmpty);
                return false;
            }
        }

        if (host is WebApplication app)
        {
            app.Urls.Clear();
            app.Urls.Add("http://127.0.0.1:0");
        }

        await host.StartAsync();
        try
        {
            var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(1) };
            var bar = new ProgressBar(Console.Out, !Console.IsOutputRedirected);
            var demo = new DemoCounty(http, clock.Set, bar);
            var started = DateTimeOffset.UtcNow;
            await demo.BuildAsync(CancellationToken.None);
            bar.Done();
            Console.WriteLine($"{demo.Requests} requests in {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s; waiting for the weekly dispatch report to count them …");

            await counties.DatabaseOf(counties.Default).WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
            await using var query = counties.QuerySession(counties.Default);
            var latest = await query.LoadAsync<WeeklyDispatch>(DemoFigures.LastWeek.ToString());
            if (latest is null) throw new InvalidOperationException($"The report of {DemoFigures.LastWeek} was not written.");
            Console.WriteLine($"Weekly dispatch {latest.Id} ({latest.From:yyyy-MM-dd} – {latest.To:yyyy-MM-dd}), county:");
            foreach (var metric in DispatchMetrics.All)
            {
                var figure = latest.County.GetValueOrDefault(metric) ?? new Figure();
                Console.WriteLine($"  {metric,-34} {figure.Value,6} ({(figure.Change >= 0 ? "+" : "")}{figure.Change})");
            }

            return true;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A progress bar on a terminal; a line every tenth of the way when the output is a file.</summary>
    private sealed class ProgressBar(TextWriter output, bool interactive) : IProgress<DemoProgress>
    {
        private int _lastTenth = -1;

        public void Report(DemoProgress progress)
        {
            var fraction = progress.Done / (double)progress.Total;
            var week = IsoWeek.Of(progress.Day);
            if (interactive)
            {
                const int width = 40;
                var filled = (int)(fraction * width);
                output.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0} {progress.Done}/{progress.Total} requests · {week} ");
            }
            else if ((int)(fraction * 10) is var tenth && tenth != _lastTenth)
            {
                _lastTenth = tenth;
                output.WriteLine($"demo: {fraction:P0} ({progress.Done}/{progress.Total} requests, {week})");
            }
        }

        public void Done()
        {
            if (interactive) output.WriteLine();
        }
    }
}
