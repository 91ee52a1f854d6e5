using System.Diagnostics.CodeAnalysis;

namespace FastLog.Broker.Configuration;

/// <summary>metrics.listener (FastLog's own): host:port, read with the rules of a Kafka listener's address.</summary>
internal static class MetricsListeners
{
    public const string Name = "METRICS";

    public static bool TryParse(string text, [NotNullWhen(true)] out Endpoint? endpoint) =>
        Endpoint.TryParse($"{Name}://{text}", out endpoint, out _);
}
