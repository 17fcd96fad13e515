using System.Collections.Concurrent;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Relief.Api.Tests.Support;

/// <summary>One request a browser made, as the proxy saw it.</summary>
public sealed record SeenRequest(string Method, string PathAndQuery, bool SentCredentialHeader, int Status);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, a free port) in front of the shared test host, for a real
/// browser: each request is passed on to the host as it came (cookies, forms) and its answer back as it
/// went (every <c>Set-Cookie</c>), so the browser talks to the very app, database and clock of the test.
/// It records every request: what was asked, whether it carried an API key or a bearer token, and the answer's status.
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private static readonly HashSet<string> Hop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Upgrade", "Proxy-Connection",
    };

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SeenRequest> _seen = new();

    private LoopbackProxy(WebApplication app) => _app = app;

    public string Origin { get; private set; } = "";

    public IReadOnlyList<SeenRequest> Seen => [.. _seen];

    public static async Task<LoopbackProxy> Start(IAlbaHost host)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new LoopbackProxy(app);
        app.Run(context => proxy.Forward(context, host));
        await app.StartAsync();
        proxy.Origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return proxy;
    }

    private async Task Forward(HttpContext context, IAlbaHost host)
    {
        var request = context.Request;
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            message.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (Hop.Contains(name)) continue;
            if (!message.Headers.TryAddWithoutValidation(name, values.ToArray())) message.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        using var client = host.Server.CreateClient();
        using var answer = await client.SendAsync(message);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!Hop.Contains(name)) context.Response.Headers[name] = values.ToArray();
        }

        _seen.Enqueue(new SeenRequest(request.Method, request.Path + request.QueryString,
            request.Headers.ContainsKey("X-Api-Key") || request.Headers.ContainsKey("Authorization"), (int)answer.StatusCode));
        await answer.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
