using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Relief.Api.Tests.Support;

/// <summary>
/// Debian's headless Chromium (/usr/bin/chromium, installed by eng/test), driven over the DevTools
/// protocol: opens a page and evaluates JavaScript in it, as a reader's browser would render it.
/// Nothing here polls or sleeps: Chromium says when it listens (a line on stderr) and when the page
/// has loaded (the <c>Page.loadEventFired</c> event).
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private string _session = "";
    private int _id;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts Chromium, opens <paramref name="url"/> (a file:// page) and answers once the page has loaded.</summary>
    public static async Task<HeadlessChromium> OpenAsync(string url)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: eng/test installs Debian's chromium package (apt-get install chromium).");
        var profile = Directory.CreateTempSubdirectory("relief-chromium-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1200,1600", "about:blank" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var browser = new HeadlessChromium(Process.Start(start)!, profile);
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…": the browser's own endpoint.
            string? endpoint = null;
            while (endpoint is null)
            {
                var line = await browser._process.StandardError.ReadLineAsync(timeout.Token)
                           ?? throw new InvalidOperationException("Chromium exited before it listened.");
                if (DevToolsLine().Match(line) is { Success: true } match) endpoint = match.Groups[1].Value;
            }

            _ = browser._process.StandardError.ReadToEndAsync(CancellationToken.None);
            await browser._socket.ConnectAsync(new Uri(endpoint), timeout.Token);

            // A page of our own, attached in flat mode: its commands and events carry its session id.
            var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, session: null);
            var attached = await browser.SendAsync("Target.attachToTarget",
                new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, session: null);
            browser._session = attached["sessionId"]!.GetValue<string>();
            await browser.SendAsync("Page.enable", new JsonObject());
            await browser.SendAsync("Page.navigate", new JsonObject { ["url"] = url }, until: "Page.loadEventFired");
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> in the page, and answers once it has loaded.</summary>
    public Task NavigateAsync(string url) =>
        SendAsync("Page.navigate", new JsonObject { ["url"] = url }, until: "Page.loadEventFired");

    /// <summary>Evaluates an expression that leads the page elsewhere (submits a form, follows a link), and answers once the next page has loaded.</summary>
    public Task EvaluateAndLoadAsync(string expression) =>
        SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression }, until: "Page.loadEventFired");

    /// <summary>The page as its print (the page's own <c>@page</c> size and margins), as PDF bytes.</summary>
    public async Task<byte[]> PrintToPdfAsync()
    {
        var result = await SendAsync("Page.printToPDF", new JsonObject { ["preferCSSPageSize"] = true, ["printBackground"] = true });
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    /// <summary>Evaluates an expression in the page and answers its (JSON) value.</summary>
    public async Task<T> EvaluateAsync<T>(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } error) throw new InvalidOperationException($"{expression}: {error}");
        return result["result"]!["value"].Deserialize<T>()!;
    }

    /// <summary>
    /// Sends a command (to the page's session unless <paramref name="session"/> is null) and answers its
    /// result; with <paramref name="until"/>, answers only once that event of the session has also come.
    /// </summary>
    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? session = "", string? until = null)
    {
        var id = Interlocked.Increment(ref _id);
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        session = session == "" ? _session : session;
        if (session is not null) command["sessionId"] = session;
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);

        JsonNode? result = null;
        var eventSeen = until is null;
        while (result is null || !eventSeen)
        {
            var message = await ReceiveAsync(timeout.Token);
            if (message["id"]?.GetValue<int>() == id)
            {
                if (message["error"] is { } error) throw new InvalidOperationException($"{method}: {error}");
                result = message["result"]!;
            }
            else if (until is not null && message["method"]?.GetValue<string>() == until
                                       && message["sessionId"]?.GetValue<string>() == session)
            {
                eventSeen = true;
            }
        }

        return result;
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await _socket.ReceiveAsync(buffer, token);
            message.Write(buffer, 0, received.Count);
        } while (!received.EndOfMessage);

        return JsonNode.Parse(message.ToArray())!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Chromium may close first.
        }

        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"DevTools listening on (ws://127\.0\.0\.1:\d+/devtools/browser/\S+)")]
    private static partial Regex DevToolsLine();
}
