using System.Globalization;
using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Measurement;

/// <summary>
/// A latency histogram of the broker's metrics (Prometheus buckets) over the run: the after-minus-before count
/// of every bucket, summed over the samples a filter picks (all devices, or one API). A quantile is read as the
/// upper bound of the bucket it falls in: "at most", to within one bucket.
/// </summary>
internal static class BrokerHistogram
{
    /// <param name="metric">The histogram's name, e.g. fastlog_request_seconds.</param>
    /// <param name="label">A label the samples must carry (e.g. api="Produce"), or null for all of them.</param>
    public static ResultBrokerLatency? Over(BrokerScrape before, BrokerScrape after, string metric, string? label)
    {
        var byBound = new SortedDictionary<double, double>();
        var prefix = metric + "_bucket{";
        foreach (var (key, value) in after.Samples)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || (label is not null && !key.Contains(label, StringComparison.Ordinal)))
            {
                continue;
            }
            var le = key.IndexOf("le=\"", StringComparison.Ordinal);
            if (le < 0)
            {
                continue;
            }
            var text = key[(le + 4)..key.IndexOf('"', le + 4)];
            var bound = text == "+Inf" ? double.PositiveInfinity : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            byBound[bound] = byBound.GetValueOrDefault(bound) + value - before.Get(key);
        }
        var total = byBound.Count == 0 ? 0 : byBound.Values.Last();
        if (total <= 0)
        {
            return null;
        }
        return new ResultBrokerLatency((long)total, AtMostMicros(byBound, total, 0.50), AtMostMicros(byBound, total, 0.99), AtMostMicros(byBound, total, 0.999));
    }

    /// <summary>The upper bound (µs) of the bucket holding the quantile; null when that is the open +Inf bucket.</summary>
    private static double? AtMostMicros(SortedDictionary<double, double> cumulative, double total, double quantile)
    {
        foreach (var (bound, count) in cumulative)
        {
            if (count >= quantile * total)
            {
                return double.IsPositiveInfinity(bound) ? null : Math.Round(bound * 1e6, 1);
            }
        }
        return null;
    }
}
