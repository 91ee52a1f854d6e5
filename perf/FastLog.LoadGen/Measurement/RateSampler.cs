namespace FastLog.LoadGen.Measurement;

/// <summary>Turns running totals into per-second rates between two progress ticks.</summary>
internal sealed class RateSampler(long start)
{
    private long _at = start;
    private long _count;
    private long _bytes;

    public (double PerSecond, double BytesPerSecond) Sample(long now, long count, long bytes)
    {
        var seconds = Clock.Seconds(now - _at);
        var rates = seconds > 0 ? ((count - _count) / seconds, (bytes - _bytes) / seconds) : (0, 0);
        (_at, _count, _bytes) = (now, count, bytes);
        return rates;
    }
}
