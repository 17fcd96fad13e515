using System.Net;
using System.Net.Sockets;

namespace Relief.Api.Notifications.Targets;

/// <summary>
/// Whether an IP address is on the public internet, the only place a webhook may go: not Relief's
/// own host, its network, its cloud's metadata service or any other special-purpose range
/// (IANA's IPv4 and IPv6 special-purpose address registries, RFC 6890 and its updates).
/// IPv4-mapped (<c>::ffff:a.b.c.d</c>) and NAT64 (<c>64:ff9b::a.b.c.d</c>) addresses are judged by the
/// IPv4 address they carry. Everything outside IPv6 global unicast (<c>2000::/3</c>) is refused, which
/// covers <c>::</c>, <c>::1</c>, <c>fc00::/7</c>, <c>fe80::/10</c>, <c>fec0::/10</c> and multicast <c>ff00::/8</c>.
/// </summary>
public static class PublicAddress
{
    private static readonly IPNetwork[] SpecialIPv4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network", 0.0.0.0 unspecified
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // shared address space (carrier-grade NAT)
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, cloud metadata services (169.254.169.254)
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"),     // documentation (TEST-NET-1)
        IPNetwork.Parse("192.88.99.0/24"),   // 6to4 relay anycast (deprecated)
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("198.51.100.0/24"),  // documentation (TEST-NET-2)
        IPNetwork.Parse("203.0.113.0/24"),   // documentation (TEST-NET-3)
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, and 255.255.255.255 broadcast
    ];

    private static readonly IPNetwork GlobalUnicastIPv6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] SpecialIPv6 =
    [
        IPNetwork.Parse("2001::/23"),        // IETF protocol assignments (Teredo, benchmarking, ORCHID …)
        IPNetwork.Parse("2001:db8::/32"),    // documentation
        IPNetwork.Parse("2002::/16"),        // 6to4: carries an IPv4 address of any kind
        IPNetwork.Parse("3fff::/20"),        // documentation
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    public static bool Is(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return Is(address.MapToIPv4());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !SpecialIPv4.Any(range => range.Contains(address)),
            AddressFamily.InterNetworkV6 when Nat64.Contains(address) => Is(new IPAddress(address.GetAddressBytes()[12..])),
            AddressFamily.InterNetworkV6 => GlobalUnicastIPv6.Contains(address) && !SpecialIPv6.Any(range => range.Contains(address)),
            _ => false,
        };
    }
}
