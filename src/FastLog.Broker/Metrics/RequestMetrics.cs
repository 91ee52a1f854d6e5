using FastLog.Protocol.Messages;

namespace FastLog.Broker.Metrics;

/// <summary>
/// How long the broker takes to answer each kind of request: from the moment its last byte was read to the moment
/// its response was handed to the socket (for acks=0 produce, which has no response, until it was handled). This
/// is the broker's share of a client's latency: the rest is the network and the client.
/// </summary>
public sealed class RequestMetrics
{
    private const int ApiKeys = 128; // Kafka's keys are far below; a key outside is not timed

    private readonly LatencyHistogram?[] _byApi = new LatencyHistogram?[ApiKeys];

    public void Record(short apiKey, long receivedTimestamp)
    {
        var key = (int)apiKey;
        if ((uint)key >= ApiKeys)
        {
            return;
        }
        var histogram = Volatile.Read(ref _byApi[key]);
        if (histogram is null)
        {
            Interlocked.CompareExchange(ref _byApi[key], new LatencyHistogram(), null);
            histogram = _byApi[key]!;
        }
        histogram.RecordSince(receivedTimestamp);
    }

    /// <summary>The request kinds seen so far, with their histograms.</summary>
    public IEnumerable<(ApiKey Api, LatencyHistogram Histogram)> Seen()
    {
        for (var key = 0; key < ApiKeys; key++)
        {
            if (Volatile.Read(ref _byApi[key]) is { } histogram)
            {
                yield return ((ApiKey)key, histogram);
            }
        }
    }
}
