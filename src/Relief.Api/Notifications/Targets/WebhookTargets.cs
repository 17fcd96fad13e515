using System.Net;
using System.Net.Sockets;

namespace Relief.Api.Notifications.Targets;

/// <summary>How a webhook's host name becomes addresses: DNS in Relief, a script in the tests.</summary>
public interface IWebhookNameResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken token);
}

public sealed class DnsNameResolver : IWebhookNameResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken token) => Dns.GetHostAddressesAsync(host, token);
}

/// <summary>A webhook's host resolved to an address Relief does not deliver to; no socket was opened.</summary>
public sealed class WebhookAddressRefusedException() : Exception("The webhook's host resolved to an address that is not allowed.");

/// <summary>
/// Where webhooks may go: the one place that turns a URL's host into addresses and judges them, at
/// subscription (<see cref="RefusalAsync"/>) and again at every connection (<see cref="ConnectAsync"/>,
/// the delivery client's <see cref="SocketsHttpHandler.ConnectCallback"/>). The second check is what
/// stops DNS rebinding: a name that answered a public address when it was subscribed and answers
/// 169.254.169.254 now is refused before a socket exists, and the socket that is opened goes to an
/// address that was just checked, never to a name resolved again elsewhere.
/// </summary>
public sealed class WebhookTargets(NotificationOptions options, IWebhookNameResolver resolver)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A public address, or a loopback endpoint listed in <see cref="NotificationOptions.AllowedTargets"/>.</summary>
    public bool Allows(IPAddress address, int port) => PublicAddress.Is(address) || IsAllowListed(address, port);

    private bool IsAllowListed(IPAddress address, int port) =>
        options.AllowedEndPoints.Contains(new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port));

    /// <summary>
    /// Why a subscription may not use this absolute http(s) URL (the message of its <c>url</c> error),
    /// or null. A name is resolved: one that does not resolve is refused, and so is one any of whose
    /// addresses is not allowed.
    /// </summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken token)
    {
        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(ResolveTimeout);
            addresses = await AddressesOfAsync(url.IdnHost, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or ArgumentException || e is OperationCanceledException && !token.IsCancellationRequested)
        {
            addresses = [];
        }

        return Refusal(url, addresses);
    }

    /// <summary>The decision of <see cref="RefusalAsync"/> once the host's addresses are known.</summary>
    public string? Refusal(Uri url, IReadOnlyCollection<IPAddress> addresses)
    {
        if (addresses.Count == 0) return "names a host that does not resolve.";
        if (addresses.Any(a => !Allows(a, url.Port)))
            return "points to an address Relief does not deliver to (loopback, private, link-local, shared, multicast or another special-purpose range).";
        if (url.Scheme == Uri.UriSchemeHttp && options.RequireHttps && !addresses.All(a => IsAllowListed(a, url.Port)))
            return "must use https.";
        return null;
    }

    /// <summary>
    /// Opens the connection of a delivery: resolves the host, refuses (<see cref="WebhookAddressRefusedException"/>)
    /// unless every address is allowed, and connects to those checked addresses only, in order.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken token)
    {
        var port = context.DnsEndPoint.Port;
        var addresses = await AddressesOfAsync(context.DnsEndPoint.Host, token);
        if (addresses.Length == 0 || addresses.Any(a => !Allows(a, port))) throw new WebhookAddressRefusedException();

        SocketException? refused = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                refused = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw refused!;
    }

    /// <summary>An IP literal is its own address (IPv6 without its brackets); a name is resolved.</summary>
    private Task<IPAddress[]> AddressesOfAsync(string host, CancellationToken token) =>
        IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var literal)
            ? Task.FromResult<IPAddress[]>([literal])
            : resolver.ResolveAsync(host, token);
}
