using System.Globalization;
using System.Net;
using FastLog.LoadGen.Cli;

namespace FastLog.LoadGen.Kafka;

/// <summary>
/// The one broker address this tool may talk to. A single host:port on purpose: a list would let the clients pick
/// any of several machines, and the tool must never load anything but the broker it was pointed at.
/// </summary>
internal sealed record BootstrapAddress(string Host, int Port)
{
    public static BootstrapAddress Parse(string text)
    {
        if (text.Contains(',', StringComparison.Ordinal))
        {
            throw new UsageException($"--bootstrap takes one host:port, got the list '{text}'");
        }
        string host;
        string portText;
        if (text.StartsWith('['))
        {
            // [::1]:9092: the brackets keep the port apart from an IPv6 address's own colons.
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw new UsageException($"--bootstrap needs host:port (IPv6 as [addr]:port), got '{text}'");
            }
            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw new UsageException($"--bootstrap needs host:port (IPv6 as [addr]:port), got '{text}'");
            }
            host = text[..colon];
            portText = text[(colon + 1)..];
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--bootstrap needs a port from 1 to 65535, got '{portText}' in '{text}'");
        }
        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw new UsageException($"--bootstrap needs a host name or address, got '{text}'");
        }
        return new BootstrapAddress(host, port);
    }

    /// <summary>
    /// Whether a broker's advertised address is this one: same port and either the same name or a name that
    /// resolves to one of the same addresses (a broker at "localhost" may advertise "127.0.0.1").
    /// </summary>
    public bool SameEndpoint(string host, int port)
    {
        if (port != Port)
        {
            return false;
        }
        if (string.Equals(host, Host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var mine = Resolve(Host);
        return Resolve(host).Any(mine.Contains);
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static HashSet<IPAddress> Resolve(string host)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }
        try
        {
            return [.. Dns.GetHostAddresses(host)];
        }
        catch (System.Net.Sockets.SocketException)
        {
            return [];
        }
    }
}
