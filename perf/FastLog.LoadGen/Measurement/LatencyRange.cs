using HdrHistogram;

namespace FastLog.LoadGen.Measurement;

/// <summary>Every latency histogram's shape: microseconds, 1 us to 60 s, 3 significant digits.</summary>
internal static class LatencyRange
{
    public const long LowestMicros = 1;
    public const long HighestMicros = 60_000_000;
    public const int SignificantDigits = 3;

    public static LongHistogram NewHistogram() => new(LowestMicros, HighestMicros, SignificantDigits);

    public static Recorder NewRecorder() =>
        new(LowestMicros, HighestMicros, SignificantDigits, (id, low, high, digits) => new LongHistogram(id, low, high, digits));

    /// <summary>
    /// Values outside the range would throw inside a delivery callback; a sub-microsecond latency counts as 1 us and
    /// anything over 60 s as 60 s (a message that late has already failed by the delivery timeout).
    /// </summary>
    public static long Clamp(long micros) => Math.Clamp(micros, LowestMicros, HighestMicros);
}
