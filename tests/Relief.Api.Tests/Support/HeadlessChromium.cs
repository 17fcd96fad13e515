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
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private int _id;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts Chromium on <paramref name="url"/> (a file:// page) and waits until the page has loaded.</summary>
    public static async Task<HeadlessChromium> OpenAsync(string url)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: eng/test installs Debian's chromium package (apt-get install chromium).");
        var profile = Directory.CreateTempSubdirectory("relief-chromium-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1200,1600", url },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        var browser = new HeadlessChromium(process, profile);
        try
        {
            // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…" tells the port.
            int? port = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (port is null)
            {
                var line = await process.StandardError.ReadLineAsync(timeout.Token)
                           ?? throw new InvalidOperationException("Chromium exited before it listened.");
                if (DevToolsLine().Match(line) is { Success: true } match) port = int.Parse(match.Groups[1].Value);
            }

            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var http = new HttpClient();
            string? pageSocket = null;
            while (pageSocket is null)
            {
                var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", timeout.Token))!.AsArray();
                pageSocket = targets.FirstOrDefault(t => t!["type"]!.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
                if (pageSocket is null) await Task.Delay(50, timeout.Token);
            }

            await browser._socket.ConnectAsync(new Uri(pageSocket), timeout.Token);
            // The page target may still show about:blank for a moment: wait for the page asked for, loaded.
            while (!await browser.EvaluateAsync<bool>($"location.href === {JsonSerializer.Serialize(url)} && document.readyState === 'complete'"))
                await Task.Delay(50, timeout.Token);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates an expression in the page and answers its (JSON) value.</summary>
    public async Task<T> EvaluateAsync<T>(string expression)
    {
        var id = Interlocked.Increment(ref _id);
        var command = new JsonObject
        {
            ["id"] = id,
            ["method"] = "Runtime.evaluate",
            ["params"] = new JsonObject { ["expression"] = expression, ["returnByValue"] = true },
        };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var message = await ReceiveAsync();
            if (message["id"]?.GetValue<int>() != id) continue;
            var result = message["result"]!["result"]!;
            if (message["result"]!["exceptionDetails"] is { } error) throw new InvalidOperationException($"{expression}: {error}");
            return result["value"].Deserialize<T>()!;
        }
    }

    private async Task<JsonNode> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        do
        {
            received = await _socket.ReceiveAsync(buffer, timeout.Token);
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

    [GeneratedRegex(@"DevTools listening on ws://127\.0\.0\.1:(\d+)/")]
    private static partial Regex DevToolsLine();
}
