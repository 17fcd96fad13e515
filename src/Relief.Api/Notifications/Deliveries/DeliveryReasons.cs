using System.Net.Http;
using System.Net.Sockets;
using Relief.Api.Notifications.Targets;

namespace Relief.Api.Notifications.Deliveries;

/// <summary>
/// What a delivery record says of its last attempt: one of a few fixed phrases, never the receiver's
/// answer or an exception's message. A department reads these; if they carried the receiver's text,
/// a subscription to an internal address would be a port scanner that prints what it found.
/// </summary>
public static class DeliveryReasons
{
    public const string TimedOut = "timed out";
    public const string ConnectionRefused = "connection refused";
    public const string AddressRefused = "refused: the address is not allowed";
    public const string NameNotResolved = "the receiver's name did not resolve";
    public const string ConnectionFailed = "the connection failed";
    public const string SubscriptionCancelled = "the subscription was cancelled; nothing was sent";
    public const string CircuitOpen = "postponed: the receiver failed repeatedly; deliveries resume after a pause";

    public static string Answered(int statusCode) => $"the receiver answered {statusCode}";

    /// <summary>The phrase for a request that got no answer.</summary>
    public static string Of(Exception e) => e switch
    {
        OperationCanceledException or TimeoutException => TimedOut,
        _ when Find<WebhookAddressRefusedException>(e) is not null => AddressRefused,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => NameNotResolved,
        _ when Find<SocketException>(e) is { } socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => ConnectionRefused,
            SocketError.TimedOut => TimedOut,
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => NameNotResolved,
            _ => ConnectionFailed,
        },
        _ => ConnectionFailed,
    };

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }

        return null;
    }
}
