using System.Diagnostics;
using System.Globalization;

namespace FastLog.Benchmarks.Pipeline;

/// <summary>
/// Hand-off latency percentiles (publish to consume) of the ring and the channel in the same run:
/// `dotnet run -c Release --project perf/FastLog.Benchmarks -- handoff-latency [producers] [items]`.
/// </summary>
public static class HandoffLatency
{
    public static void Run(string[] args)
    {
        var producers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        var items = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2_000_000;
        Console.WriteLine($"hand-off latency, {producers} producer(s), {items:N0} items, capacity {RingVersusChannel.Capacity}");
        for (var round = 0; round < 3; round++)
        {
            // Alternate the two in each round so that drift of the machine touches both alike.
            Report("channel", Measure(() => RingVersusChannel.Channel(producers, items / producers, measureLatency: true)!, items));
            Report("ring", Measure(() => RingVersusChannel.Ring(producers, items / producers, measureLatency: true)!, items));
        }
    }

    private static (long[] Latencies, double Seconds) Measure(Func<long[]> run, int items)
    {
        var clock = Stopwatch.StartNew();
        var latencies = run();
        return (latencies, clock.Elapsed.TotalSeconds);
    }

    private static void Report(string name, (long[] Latencies, double Seconds) result)
    {
        var sorted = result.Latencies;
        Array.Sort(sorted);
        double Micros(double percentile) => sorted[Math.Min(sorted.Length - 1, (int)(percentile / 100 * sorted.Length))] * 1_000_000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-8} {sorted.Length / result.Seconds / 1e6,6:F1} M items/s   p50 {Micros(50),8:F1} µs   p99 {Micros(99),8:F1} µs   p99.9 {Micros(99.9),9:F1} µs"));
    }
}
