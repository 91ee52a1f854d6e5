using System.Diagnostics;

namespace FastLog.Broker.Metrics;

/// <summary>
/// A latency histogram with fixed buckets, rendered as a Prometheus histogram. Recording is two interlocked adds
/// and no allocation, so every request can be timed; the buckets are fine below 2 ms, where a flush-per-batch
/// broker's answers fall, so a p99 can be read from them to within a bucket.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds of the buckets, in seconds; a last bucket takes everything above (+Inf).</summary>
    public static readonly double[] UpperBoundsSeconds =
    [
        0.000_05, 0.000_1, 0.000_2, 0.000_3, 0.000_4, 0.000_5, 0.000_6, 0.000_8, 0.001, 0.001_25, 0.001_5, 0.002,
        0.003, 0.005, 0.007_5, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    private static readonly long[] UpperBoundsTicks = [.. UpperBoundsSeconds.Select(s => (long)(s * Stopwatch.Frequency))];

    private readonly long[] _counts = new long[UpperBoundsSeconds.Length + 1];
    private long _sumTicks;

    /// <summary>Records one duration, in Stopwatch ticks.</summary>
    public void Record(long elapsedTicks)
    {
        var bucket = 0;
        while (bucket < UpperBoundsTicks.Length && elapsedTicks > UpperBoundsTicks[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsedTicks);
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a Stopwatch timestamp).</summary>
    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>Per-bucket counts (not cumulative; the last is +Inf), the sum in seconds and the count.</summary>
    public (long[] Counts, double SumSeconds, long Count) Snapshot()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
        }
        return (counts, Volatile.Read(ref _sumTicks) / (double)Stopwatch.Frequency, counts.Sum());
    }
}
