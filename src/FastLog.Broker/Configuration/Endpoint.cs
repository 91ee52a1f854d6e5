using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FastLog.Broker.Configuration;

/// <summary>
/// One entry of listeners or advertised.listeners: <c>NAME://host:port</c> (Kafka's EndPoint), NAME being the
/// listener name, upper-cased. An empty host binds every interface; port 0 binds any free port. Both are filled
/// in by the server before they are advertised. IPv6 hosts are written in brackets: <c>PLAINTEXT://[::1]:9092</c>.
/// </summary>
public sealed record Endpoint(string Name, string Host, int Port)
{
    private const string Separator = "://";

    public bool BindsAllInterfaces => Host.Length == 0;

    public override string ToString() =>
        $"{Name}{Separator}{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The endpoint <paramref name="text"/> writes, or false with the reason, which completes <c>key: "text" ...</c>.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Endpoint? endpoint, out string reason)
    {
        endpoint = null;
        reason = "is not a listener of the form NAME://host:port";
        var separator = text.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0)
        {
            return false;
        }
        // Listener names are case-insensitive in Kafka, which upper-cases them (ListenerName.normalised).
        var name = text[..separator].ToUpperInvariant();
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
        {
            reason = $"has a listener name \"{text[..separator]}\" that is not made of letters, digits, '_' and '-'";
            return false;
        }

        var address = text[(separator + Separator.Length)..];
        string host;
        string port;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= address.Length || address[close + 1] != ':')
            {
                return false;
            }
            host = address[1..close];
            port = address[(close + 2)..];
        }
        else
        {
            var colon = address.LastIndexOf(':');
            if (colon < 0)
            {
                return false;
            }
            host = address[..colon];
            port = address[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                reason = "has an IPv6 host that is not in brackets, as in PLAINTEXT://[::1]:9092";
                return false;
            }
        }
        if (!host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '%' or ':'))
        {
            reason = $"has a host \"{host}\" that is not a host name or IP address";
            return false;
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
        {
            reason = $"has a port \"{port}\" that is not between 0 and 65535";
            return false;
        }
        reason = "";
        endpoint = new Endpoint(name, host, number);
        return true;
    }
}
