namespace FastLog.LoadGen.Measurement;

/// <summary>
/// The run's time line in clock ticks: warmup from <see cref="Start"/> to <see cref="WarmupEnd"/>, then the measured
/// part to <see cref="End"/>. Nothing is sent at or after <see cref="End"/>. The threads that send, acknowledge and
/// consume classify each event by its own timestamp against these bounds, so the figures do not depend on when the
/// progress thread happens to wake up.
/// </summary>
internal sealed class RunWindow
{
    private long _end;

    public RunWindow(long start, double warmupSeconds, double durationSeconds)
    {
        Start = start;
        WarmupEnd = start + Clock.Ticks(warmupSeconds);
        _end = double.IsPositiveInfinity(durationSeconds) ? long.MaxValue : WarmupEnd + Clock.Ticks(durationSeconds);
    }

    public long Start { get; }
    public long WarmupEnd { get; }
    public long End => Volatile.Read(ref _end);

    /// <summary>The measured part's length so far as it ended (0 when the run ended inside the warmup).</summary>
    public double MeasuredSeconds => Clock.Seconds(Math.Max(0, End - WarmupEnd));

    /// <summary>A window with no warmup and no end, for preloading: it stops on a message count instead.</summary>
    public static RunWindow Unbounded(long start) => new(start, 0, double.PositiveInfinity);

    /// <summary>Ends the window early (Ctrl+C, or a workload that finished), at <paramref name="at"/> at the latest.</summary>
    public void Close(long at)
    {
        if (at < End)
        {
            Volatile.Write(ref _end, at);
        }
    }

    public Phase PhaseOf(long sentAt) => sentAt < WarmupEnd ? Phase.Warmup : Phase.Measured;

    /// <summary>Whether an acknowledgement or a receipt at <paramref name="at"/> counts in the throughput.</summary>
    public bool IsMeasured(long at) => at >= WarmupEnd && at < End;

    /// <summary>
    /// The phase a progress line reports on: that of the middle of the second it covers, so the line printed just
    /// as the warmup ends still says "warmup" for the second that was warmup.
    /// </summary>
    public Phase PhaseOfSecondEndingAt(long now) => PhaseOf(now - (Clock.Ticks(1) / 2));
}
