namespace FastLog.LoadGen.Measurement;

/// <summary>
/// A fixed-rate schedule: message i of this producer is due at start + (i + offset) / rate. Each due time is
/// computed from the start, never from when the previous message went out, so a stall does not shift the schedule:
/// the messages it delayed are sent at once afterwards and their latency counts from when they were due
/// (no coordinated omission). With several producers each takes rate / N and an evenly spaced offset, so the sum is
/// one evenly spaced stream.
/// </summary>
internal sealed class PacedSchedule : ISendPacer
{
    // Waits are slept in stretches of at most this, so a stop request is noticed soon.
    private static readonly long LongestSleep = Clock.Ticks(0.05);

    private readonly long _start;
    private readonly double _ticksPerMessage;
    private readonly double _offset;
    private long _index;

    public PacedSchedule(long start, double ratePerSecond, int producer, int producers)
    {
        _start = start;
        _ticksPerMessage = Clock.Ticks(1) / (ratePerSecond / producers);
        _offset = producer / (double)producers;
    }

    public bool MeasuresFromSchedule => true;

    public long WaitForNext(long end, CancellationToken stop)
    {
        var due = _start + (long)((_index + _offset) * _ticksPerMessage);
        if (due >= end)
        {
            return long.MaxValue;
        }
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                return long.MaxValue;
            }
            var left = due - Clock.Now;
            if (left <= 0)
            {
                break;
            }
            PreciseSleep.For(Math.Min(left, LongestSleep));
        }
        _index++;
        return due;
    }
}
