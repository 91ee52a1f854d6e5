using System.Globalization;
using FastLog.LoadGen.Kafka;

namespace FastLog.LoadGen.Measurement;

/// <summary>
/// The broker's counters from its metrics endpoint (GET /metrics, Prometheus text), read before and after a
/// run: their differences are the broker's side of the run (CPU time, allocations, GCs, writer passes).
/// </summary>
internal sealed record BrokerScrape(IReadOnlyDictionary<string, double> Samples)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static BrokerScrape Read(string url)
    {
        using var http = new HttpClient { Timeout = Timeout };
        string text;
        try
        {
            text = http.GetStringAsync(url).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            throw new SetupException($"--broker-metrics {url}: {e.Message} (start the broker with metrics.listener set)");
        }
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                samples[line[..space]] = value;
            }
        }
        return new BrokerScrape(samples);
    }

    /// <summary>The sum of every sample of a metric (all devices, all generations).</summary>
    public double Sum(string metric) => Samples
        .Where(s => s.Key == metric || s.Key.StartsWith(metric + "{", StringComparison.Ordinal))
        .Sum(s => s.Value);

    public double Get(string sample) => Samples.GetValueOrDefault(sample);
}
