using System.Diagnostics;

namespace FastLog.LoadGen.Measurement;

/// <summary>
/// The monotonic clock every latency is taken from (Stopwatch ticks), and its one fixed mapping to UTC so record
/// timestamps and the JSON times agree with it. The mapping is taken once: re-reading the wall clock per message
/// would let an NTP step bend the latencies.
/// </summary>
internal static class Clock
{
    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private static readonly long AnchorTicks = Stopwatch.GetTimestamp();
    private static readonly DateTime AnchorUtc = DateTime.UtcNow;

    public static long Now => Stopwatch.GetTimestamp();

    public static long Micros(long ticks) => (long)(ticks * MicrosPerTick);

    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    public static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    public static DateTime Utc(long timestamp) => AnchorUtc.AddTicks((long)((timestamp - AnchorTicks) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency)));

    public static long FromUtc(DateTime utc) => AnchorTicks + Ticks((utc - AnchorUtc).TotalSeconds);
}
